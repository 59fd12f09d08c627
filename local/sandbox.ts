import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { signTwilioRequest } from '../shared/adapters/providers/twilio/webhooks.js';
import { channelSchema } from '../shared/domain/model.js';
import { ARRIVED_AT_HEADER, arrivedAtFrom } from './sandbox-edge.js';

export interface SandboxOptions {
  /** Messages per second accepted; above it the sandbox answers 429 like Twilio. Undefined: unlimited. */
  messagesPerSecond: number | undefined;
  /** Share (0–1) of sends answered with a retryable 503. */
  failureRate: number;
  /** The same for the second sandbox (`sandbox-b`, at `/sandbox/b/`), a failover target; default 0. */
  failureRateB?: number;
  /** How long each accepted send takes to answer, like a real provider's API latency. */
  latencyMs?: number;
  /** Post a "delivered" receipt this many ms after accepting; undefined: no receipts. */
  receiptDelayMs: number | undefined;
  /**
   * `sent-and-delivered`: a "sent" receipt half-way, then "delivered" after `receiptDelayMs`, as
   * Twilio calls back for every SMS. Default `delivered`: the "delivered" receipt alone.
   */
  receipts?: 'delivered' | 'sent-and-delivered';
  /** The local server's own base URL: receipts are posted here whatever PUBLIC_BASE_URL says. */
  localBaseUrl: () => string;
  /** Receipts are signed like Twilio's, with this token, over the URL the sender asked for. */
  authToken: string;
  accountSid: string;
  smsFrom: string;
  whatsappFrom: string;
  random?: () => number;
  /** Where the outbox outlives the process (DATA_DIR); without one, it lasts as long as the sandbox. */
  outboxStore?: OutboxStore;
  /**
   * The token of the sandbox's edge (sandbox-edge.ts), when the senders reach it through one: a
   * send carrying the edge's arrival time with it is counted at that time, not when this thread got to it.
   */
  edgeToken?: string;
}

/** Keeps the outbox between runs: what it held at start, then every message recorded or changed, and its emptying. */
export interface OutboxStore {
  readonly restored: readonly SandboxMessage[];
  record(message: SandboxMessage): void;
  clear(): void;
  close(): void;
}

/** The two sandboxes: `sandbox-b` is a second provider on the same machine, so failover can be shown locally. */
export type SandboxName = 'sandbox' | 'sandbox-b';

export interface SandboxMessage {
  id: string;
  /** Which sandbox carried it. */
  provider: SandboxName;
  messageId: string;
  to: string;
  from: string;
  channel: 'sms' | 'whatsapp';
  body: string;
  /** A WhatsApp template sent instead of free text (the resident was outside their 24-hour window). */
  template?: { name: string; language: string; parameters: string[] };
  status: 'sent' | 'delivered';
  createdAt: string;
}

const sendRequestSchema = z.object({
  messageId: z.string().min(1),
  to: z.string().startsWith('+'),
  channel: channelSchema,
  body: z.string().min(1),
  template: z.object({ name: z.string().min(1), language: z.string().min(1), parameters: z.array(z.string()) }).optional(),
  statusCallbackUrl: z.url(),
  /** The sender identity crier sends from; absent, the sandbox's own number for the channel. */
  from: z.object({ kind: z.string().min(1), address: z.string().min(1) }).optional(),
});

/**
 * A send answered 429 for the rate: when it came, and the send that opened the one-second window it
 * fell in (times as the sandbox saw them arrive, epoch ms). The bench compares them with when the
 * two left the sender: a provider counts arrivals, and the journey between can bunch sends up.
 */
export interface RateRefusal {
  messageId: string;
  arrivedAt: number;
  windowOpenedBy: { messageId: string; arrivedAt: number };
}

/** One of a sender's one-second windows: when it opened, by which send, and how many it has counted. */
interface RateWindow {
  startedAt: number;
  sent: number;
  openedBy: string;
}

/** Rate refusals kept (the newest): enough for any bench run; a long-running npm start does not grow with them. */
const KEPT_RATE_REFUSALS = 10_000;

/** A burst of 429s: every send answered "Too Many Requests" for the next N sends, or for a while. */
export type ThrottleBurst = { sends: number } | { forMs: number };

/** Faults armed on one sandbox, for tests of what the engine does when a provider misbehaves. */
interface ArmedFaults {
  /** Valid send requests received so far, the count `hangSendNumber` refers to. */
  sendsReceived: number;
  /** The number of the send request to leave unanswered, if one is armed. */
  hangSendNumber: number | undefined;
  throttledSendsLeft: number;
  throttledUntil: number;
}

/**
 * The sandbox provider's far side: it records what would have been sent (the outbox), and can
 * behave like a real provider under load: a rate limit answered with 429, a share of 5xx failures,
 * and delivery receipts posted back to the status webhook. Tests can also make it hang a send (no
 * answer ever), or answer a burst of 429s.
 */
export class Sandbox {
  readonly outbox: SandboxMessage[] = [];
  /**
   * Each sandbox counts each address's rate on its own, as a real provider meters each sender (an
   * SMS number, a WhatsApp number) on its own; crier paces each identity the same way.
   */
  private readonly rateWindows = new Map<string, { current: RateWindow; previous: RateWindow | undefined }>();
  private readonly failureRates: Record<SandboxName, number>;
  private readonly faults: Record<SandboxName, ArmedFaults> = { sandbox: noFaults(), 'sandbox-b': noFaults() };
  private readonly pendingReceipts = new Set<NodeJS.Timeout>();
  /** Requests left unanswered on purpose, let go when the sandbox closes. */
  private readonly hungResponses = new Set<ServerResponse>();
  /** Counters the benchmark and the fault tests read (both sandboxes together). */
  readonly stats = { accepted: 0, throttled: 0, failed: 0, hung: 0 };
  /** The sends answered 429 for the rate (not a test's burst), oldest first; see RateRefusal. */
  readonly rateRefusals: RateRefusal[] = [];

  constructor(private readonly options: SandboxOptions) {
    this.failureRates = { sandbox: options.failureRate, 'sandbox-b': options.failureRateB ?? 0 };
    this.outbox.push(...(options.outboxStore?.restored ?? []));
  }

  /** Makes one sandbox fail a share (0–1) of sends from now on: an outage, or its end. */
  setFailureRate(sandbox: SandboxName, rate: number): void {
    this.failureRates[sandbox] = rate;
  }

  /**
   * Leaves the `nth` send request from now (1: the next one) without an answer, ever: it is not
   * recorded, and the caller waits until its own timeout. With the local stack's Lambda timeouts,
   * that is a sender dying in the middle of a batch, the message's outcome unknown to it.
   */
  hangSend(sandbox: SandboxName, nth: number): void {
    if (!Number.isInteger(nth) || nth < 1) throw new RangeError(`nth must be a whole number from 1, not ${nth}`);
    const faults = this.faults[sandbox];
    faults.hangSendNumber = faults.sendsReceived + nth;
  }

  /** Answers 429 to every send for the next `sends` sends, or for the next `forMs` milliseconds. */
  throttle(sandbox: SandboxName, burst: ThrottleBurst): void {
    const faults = this.faults[sandbox];
    if ('sends' in burst) faults.throttledSendsLeft = burst.sends;
    else faults.throttledUntil = Date.now() + burst.forMs;
  }

  /** Serves `/sandbox/*`; returns false for other paths. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<boolean> {
    if (!url.pathname.startsWith('/sandbox/')) return false;
    if (url.pathname === '/sandbox/messages' && request.method === 'GET') {
      const to = url.searchParams.get('to');
      const messages = to ? this.outbox.filter((message) => message.to === to) : this.outbox;
      reply(response, 200, { messages });
    } else if (url.pathname === '/sandbox/messages' && request.method === 'DELETE') {
      this.outbox.length = 0;
      this.options.outboxStore?.clear();
      reply(response, 200, { messages: [] });
    } else if (url.pathname === '/sandbox/api/messages' && request.method === 'POST') {
      await this.accept('sandbox', body, response, this.arrivalOf(request));
    } else if (url.pathname === '/sandbox/b/api/messages' && request.method === 'POST') {
      await this.accept('sandbox-b', body, response, this.arrivalOf(request));
    } else {
      reply(response, 404, { error: `no sandbox route ${request.method} ${url.pathname}`, details: [] });
    }
    return true;
  }

  close(): void {
    for (const timer of this.pendingReceipts) clearTimeout(timer);
    this.pendingReceipts.clear();
    for (const response of this.hungResponses) response.destroy();
    this.hungResponses.clear();
    this.options.outboxStore?.close();
  }

  /** When a send arrived: at the edge, when it came through it; otherwise now. */
  private arrivalOf(request: IncomingMessage): number {
    return arrivedAtFrom(request.headers[ARRIVED_AT_HEADER], this.options.edgeToken) ?? Date.now();
  }

  private async accept(sandbox: SandboxName, body: Buffer, response: ServerResponse, arrivedAt: number): Promise<void> {
    let parsed: z.infer<typeof sendRequestSchema>;
    try {
      parsed = sendRequestSchema.parse(JSON.parse(body.toString('utf8')));
    } catch (error) {
      reply(response, 400, { error: 'invalid sandbox send request', details: [{ field: 'body', message: String(error) }] });
      return;
    }
    const faults = this.faults[sandbox];
    faults.sendsReceived += 1;
    if (faults.sendsReceived === faults.hangSendNumber) {
      this.stats.hung += 1;
      this.hungResponses.add(response);
      response.once('close', () => this.hungResponses.delete(response));
      return;
    }
    const from = parsed.from?.address ?? (parsed.channel === 'sms' ? this.options.smsFrom : this.options.whatsappFrom);
    if (this.inThrottleBurst(faults) || this.overRate(`${sandbox}:${parsed.channel}:${from}`, parsed.messageId, arrivedAt)) {
      this.stats.throttled += 1;
      reply(response, 429, { code: 20429, message: 'Too Many Requests' });
      return;
    }
    if ((this.options.random ?? Math.random)() < this.failureRates[sandbox]) {
      this.stats.failed += 1;
      reply(response, 503, { message: 'sandbox simulated failure' });
      return;
    }
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    this.stats.accepted += 1;
    const message: SandboxMessage = {
      // Shaped like a Twilio message SID, because the sandbox's receipts are Twilio-shaped.
      id: `SM${randomBytes(16).toString('hex')}`,
      provider: sandbox,
      messageId: parsed.messageId,
      to: parsed.to,
      from,
      channel: parsed.channel,
      body: parsed.body,
      ...(parsed.template ? { template: parsed.template } : {}),
      status: 'sent',
      createdAt: new Date().toISOString(),
    };
    this.outbox.push(message);
    this.options.outboxStore?.record(message);
    reply(response, 201, { id: message.id, status: 'sent' });
    if (this.options.receiptDelayMs !== undefined) this.scheduleReceipt(message, parsed.statusCallbackUrl);
  }

  private inThrottleBurst(faults: ArmedFaults): boolean {
    if (faults.throttledSendsLeft > 0) {
      faults.throttledSendsLeft -= 1;
      return true;
    }
    return Date.now() < faults.throttledUntil;
  }

  /**
   * A fixed one-second window, as simple providers count: it opens at the first send after the
   * last one closed, and above the rate within it, 429. Sends are counted by when they arrived
   * (`now`): one taken a moment after a later one (two connections through the edge) still counts
   * in the window it arrived in, the one before if it came before the current one opened.
   */
  private overRate(sender: string, messageId: string, now: number): boolean {
    const limit = this.options.messagesPerSecond;
    if (limit === undefined) return false;
    let windows = this.rateWindows.get(sender);
    if (!windows || now - windows.current.startedAt >= 1000) {
      windows = { current: { startedAt: now, sent: 0, openedBy: messageId }, previous: windows?.current };
      this.rateWindows.set(sender, windows);
    }
    const window = now < windows.current.startedAt && windows.previous && now - windows.previous.startedAt < 1000 ? windows.previous : windows.current;
    window.sent += 1;
    if (window.sent <= limit) return false;
    if (this.rateRefusals.length >= KEPT_RATE_REFUSALS) this.rateRefusals.shift();
    this.rateRefusals.push({ messageId, arrivedAt: now, windowOpenedBy: { messageId: window.openedBy, arrivedAt: window.startedAt } });
    return true;
  }

  private scheduleReceipt(message: SandboxMessage, callbackUrl: string): void {
    const post = (status: 'sent' | 'delivered', delayMs: number | undefined) => {
      const timer = setTimeout(() => {
        this.pendingReceipts.delete(timer);
        void this.postReceipt(message, callbackUrl, status);
      }, delayMs);
      this.pendingReceipts.add(timer);
    };
    // "sent" half-way: after crier has recorded the send, as Twilio's comes when the carrier takes it.
    if (this.options.receipts === 'sent-and-delivered') post('sent', (this.options.receiptDelayMs ?? 0) / 2);
    post('delivered', this.options.receiptDelayMs);
  }

  private async postReceipt(message: SandboxMessage, callbackUrl: string, status: 'sent' | 'delivered'): Promise<void> {
    const params = { AccountSid: this.options.accountSid, MessageSid: message.id, MessageStatus: status, To: message.to };
    const signed = new URL(callbackUrl);
    const local = new URL(`${signed.pathname}${signed.search}`, this.options.localBaseUrl());
    try {
      const response = await fetch(local, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilioRequest(this.options.authToken, callbackUrl, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      if (response.ok && status === 'delivered') {
        message.status = 'delivered';
        this.options.outboxStore?.record(message);
      }
    } catch {
      // The stack is shutting down; a lost simulated receipt is harmless.
    }
  }
}

function noFaults(): ArmedFaults {
  return { sendsReceived: 0, hangSendNumber: undefined, throttledSendsLeft: 0, throttledUntil: 0 };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
