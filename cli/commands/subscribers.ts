import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import type { ResidentMessages, Subscriber, SubscriberImport } from '../admin-api.js';
import { UsageError } from '../errors.js';
import { parseArguments } from '../arguments.js';
import { confirm } from '../confirm.js';
import { contextOf } from '../context.js';
import { shortTime, truncate, type Output } from '../output.js';

// Phone numbers are passed through: the API normalises national forms and is the one judge of
// what a valid number is. Only an empty one is refused here.
const phoneInput = z.object({ phone: z.string().trim().min(1, 'must not be empty') });
const eraseInput = phoneInput.extend({ yes: z.boolean().default(false) });
const importInput = z.object({ file: z.string().trim().min(1, 'must not be empty') });

export function registerSubscribers(program: Command): void {
  const subscribers = program.command('subscribers').description('residents: profile, subscriptions, consent history');

  subscribers
    .command('show')
    .description("show a resident's subscriptions and consent history")
    .argument('<phone>', 'phone number, e.g. +447700900123')
    .action(async (phone: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(phoneInput, { phone });
      const { data, raw } = await context.admin().getSubscriber(input.phone);
      if (context.output.json) return context.output.raw(raw);
      showSubscriber(context.output, data);
    });

  subscribers
    .command('messages')
    .description('list what was sent to a resident (broadcasts and replies, newest first) and their inbox conversations')
    .argument('<phone>', 'phone number, e.g. +447700900123')
    .action(async (phone: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(phoneInput, { phone });
      const { data, raw } = await context.admin().subscriberMessages(input.phone);
      if (context.output.json) return context.output.raw(raw);
      showMessages(context.output, data);
    });

  subscribers
    .command('import')
    .description('import opted-in residents from a CSV file with consent evidence per row; all rows or none')
    .argument('<file.csv>', 'columns: phone, topic, channel, language, area, age_band, consent_collected_by, consent_collected_at, consent_method')
    .action(async (file: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(importInput, { file });
      const csv = await readFile(input.file, 'utf8').catch((error: unknown) => {
        throw new UsageError(`cannot read ${input.file}`, [{ field: 'file', message: error instanceof Error ? error.message : String(error) }]);
      });
      // A refused file is an ApiError whose details name each bad row ("line 4: phone"): main
      // prints them one per line and exits 1.
      const { data, raw } = await context.admin().importSubscribers(csv);
      if (context.output.json) return context.output.raw(raw);
      showImport(context.output, data);
    });

  subscribers
    .command('erase')
    .description("erase a resident's personal data (right to erasure); cannot be undone")
    .argument('<phone>', 'phone number, e.g. +447700900123')
    .option('--yes', 'do not ask for confirmation')
    .action(async (phone: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(eraseInput, { phone, ...options });
      if (!input.yes && !(await confirm(`Erase ${input.phone} and their personal data? This cannot be undone.`, '--yes'))) {
        context.output.line('nothing erased');
        return;
      }
      await context.admin().eraseSubscriber(input.phone);
      if (context.output.json) return context.output.raw({ erased: input.phone });
      context.output.line(`erased ${input.phone}`);
    });
}

function showSubscriber(output: Output, subscriber: Subscriber): void {
  const optedOut = Object.entries(subscriber.optedOut).map(([channel, at]) => `${channel} since ${shortTime(at)}`);
  output.fields([
    ['phone', subscriber.phone],
    ['since', shortTime(subscriber.createdAt)],
    ['opted out', optedOut.join(', ') || 'no'],
    ['language', subscriber.language ?? '-'],
    ['area', subscriber.area ?? '-'],
    ['age band', subscriber.ageBand ?? '-'],
  ]);
  output.line();
  output.line('Subscriptions');
  output.table(
    subscriber.subscriptions,
    [
      { heading: 'TOPIC', value: (subscription) => subscription.topicId },
      { heading: 'CHANNEL', value: (subscription) => subscription.channel },
      { heading: 'SINCE', value: (subscription) => shortTime(subscription.since) },
    ],
    '(none)',
  );
  output.line();
  output.line('Consent history');
  output.table(
    subscriber.consentHistory,
    [
      { heading: 'AT', value: (event) => shortTime(event.at) },
      { heading: 'ACTION', value: (event) => event.action },
      { heading: 'CHANNEL', value: (event) => event.channel },
      { heading: 'TOPIC', value: (event) => event.topicId ?? '-' },
      { heading: 'EVIDENCE', value: (event) => truncate(describeEvidence(event.evidence), 60) },
    ],
    '(none)',
  );
}

function showMessages(output: Output, found: ResidentMessages): void {
  output.table(
    found.messages,
    [
      { heading: 'AT', value: (message) => shortTime(message.at) },
      { heading: 'KIND', value: (message) => message.kind },
      { heading: 'BROADCAST', value: (message) => message.broadcastId ?? '-' },
      { heading: 'TOPIC', value: (message) => message.topicId ?? '-' },
      { heading: 'CHANNEL', value: (message) => message.channel },
      { heading: 'STATUS', value: (message) => message.status },
    ],
    '(no messages kept)',
  );
  output.line();
  output.line('Inbox conversations');
  output.table(
    found.conversations,
    [
      { heading: 'DEPARTMENT', value: (conversation) => conversation.department },
      { heading: 'TEXTS', value: (conversation) => String(conversation.texts) },
      { heading: 'LAST', value: (conversation) => shortTime(conversation.lastAt) },
      { heading: 'LAST TEXT', value: (conversation) => truncate(conversation.lastText, 50) },
    ],
    '(none)',
  );
}

function showImport(output: Output, summary: SubscriberImport): void {
  output.line(`imported ${summary.imported} of ${summary.rows} rows (batch ${summary.batchId}); ${summary.alreadySubscribed} already subscribed`);
  output.line();
  output.table(
    summary.topics,
    [
      { heading: 'TOPIC', value: (topic) => topic.topicId },
      { heading: 'IMPORTED', value: (topic) => String(topic.imported) },
      { heading: 'ALREADY SUBSCRIBED', value: (topic) => String(topic.alreadySubscribed) },
    ],
    '(none)',
  );
}

/** The evidence of a consent change in a few words: the resident's own text, who did it, or the import it came in. */
function describeEvidence(evidence: Record<string, unknown>): string {
  if (evidence.kind === 'import') {
    // The batch id is long and in --json; who collected the consent, how and when is what matters here.
    return `${String(evidence.method)} by ${String(evidence.collectedBy)} on ${String(evidence.collectedAt).slice(0, 10)} (import)`;
  }
  if (typeof evidence.text === 'string') return `texted "${evidence.text}"`;
  if (typeof evidence.actor === 'string') return `by ${evidence.actor}${typeof evidence.reason === 'string' ? `: ${evidence.reason}` : ''}`;
  return JSON.stringify(evidence);
}
