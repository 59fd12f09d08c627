import type { LocalStack } from '../local/stack.js';
import type { TimingSnapshot } from './lambda-timing.js';

export interface SendTimes {
  /** The most messages sent within one wall-clock second, on the busiest sender. */
  peakPerSecond: number;
  messages: number;
  recipients: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
  perRecipient: Map<string, number>;
  /**
   * The sender (channel) with the most messages: the provider meters each sender on its own and
   * crier paces each so, so the rate that can be held against the provider's is this one's.
   */
  busiestSender: { channel: string; messages: number; firstAt: number; lastAt: number } | undefined;
}

export function sendsOf(stack: LocalStack, broadcastId: string): SendTimes {
  const prefix = `${broadcastId}-`;
  const perRecipient = new Map<string, number>();
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  let messages = 0;
  const perSecond = new Map<string, number>();
  const bySender = new Map<string, { channel: string; messages: number; firstAt: number; lastAt: number }>();
  for (const message of stack.sandbox.outbox) {
    if (!message.messageId.startsWith(prefix)) continue;
    messages += 1;
    const second = Math.floor(Date.parse(message.createdAt) / 1000);
    perSecond.set(`${message.channel}@${second}`, (perSecond.get(`${message.channel}@${second}`) ?? 0) + 1);
    const sentAt = Date.parse(message.createdAt);
    const sender = bySender.get(message.channel) ?? { channel: message.channel, messages: 0, firstAt: sentAt, lastAt: sentAt };
    bySender.set(message.channel, { ...sender, messages: sender.messages + 1, firstAt: Math.min(sender.firstAt, sentAt), lastAt: Math.max(sender.lastAt, sentAt) });
    perRecipient.set(message.to, (perRecipient.get(message.to) ?? 0) + 1);
    const at = Date.parse(message.createdAt);
    firstAt = firstAt === undefined ? at : Math.min(firstAt, at);
    lastAt = lastAt === undefined ? at : Math.max(lastAt, at);
  }
  const busiestSender = [...bySender.values()].sort((a, b) => b.messages - a.messages)[0];
  const peakPerSecond = Math.max(0, ...[...perSecond].filter(([key]) => key.startsWith(`${busiestSender?.channel}@`)).map(([, count]) => count));
  return { messages, recipients: perRecipient.size, firstAt, lastAt, perRecipient, peakPerSecond, busiestSender };
}

/** Messages a second between the busiest sender's first and last send (a single send has no rate). */
export function achievedRate(sends: SendTimes): number | undefined {
  const sender = sends.busiestSender;
  if (!sender || sender.lastAt <= sender.firstAt) return undefined;
  return (sender.messages - 1) / ((sender.lastAt - sender.firstAt) / 1000);
}

export interface ProviderAnswers {
  accepted: number;
  throttled: number;
  failed: number;
  other: number;
}

export function providerAnswers(timing: TimingSnapshot, broadcastId: string): ProviderAnswers {
  const answers = timing.providerAnswers[broadcastId] ?? {};
  const result = { accepted: 0, throttled: 0, failed: 0, other: 0 };
  for (const [status, count] of Object.entries(answers)) {
    if (status === '201') result.accepted += count;
    else if (status === '429') result.throttled += count;
    else if (/^5\d\d$/.test(status)) result.failed += count;
    else result.other += count;
  }
  return result;
}
