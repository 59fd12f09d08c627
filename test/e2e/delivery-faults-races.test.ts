import { describe, expect, it } from 'vitest';
import { renderReply } from '../../shared/domain/replies.js';
import { broadcastMessageId } from '../../shared/sending/send.js';
import { residentPhones, startBroadcast, topicWithResidents } from '../support/broadcast-fixtures.js';
import { expectDeliveryInvariants } from '../support/delivery-invariants.js';
import { localStackForFile } from '../support/fault-stack.js';
import { putSendJobs, takeSendJobs, type QueuedSendJob } from '../support/send-queue.js';

/**
 * What happens around a broadcast while it goes out, on the local stack: its send jobs delivered
 * three times at once (duplicates racing for the same claims), delivered again after they were
 * done (SQS lost the deletes), residents texting STOP, and staff cancelling it. The broadcasts are
 * normal priority, so their jobs travel on the bulk lane, which a test pauses to hold them; replies
 * to residents go on the urgent lane and are never held. Each case has its own topic and residents.
 */
describe('delivery faults: duplicates, redeliveries, STOP and cancel mid-broadcast', () => {
  const optedOutReply = renderReply('optedOut', 'en', { serviceName: 'Council alerts', contact: 'your council' });
  const local = localStackForFile({
    // A provider that takes a moment, so a broadcast is still going out when a STOP or a cancel lands.
    sandbox: { failureRate: 0, latencyMs: 100 },
    settings: { topicShards: 4 },
    // A batch whose delete was lost comes back after 4 s, not 12 minutes.
    queueTimeScale: { visibility: 0.005 },
  });

  /** A topic and its residents, and a normal broadcast to them whose send jobs are held off the bulk lane. */
  async function broadcastHeld(topicId: string, residents: readonly string[]) {
    const { stack, client } = local;
    await topicWithResidents(stack, client, topicId, residents);
    await stack.pauseConsumer('sendBulk');
    const broadcastId = await startBroadcast(client, topicId, 'normal');
    const jobs = await takeSendJobs(stack, 'sendBulk', broadcastId, residents.length);
    return { broadcastId, jobs };
  }

  /** Puts held jobs back on the bulk lane (`copies` of each) and lets the sender at them. */
  async function release(jobs: readonly QueuedSendJob[], copies = 1): Promise<void> {
    await putSendJobs(local.stack, 'sendBulk', jobs, copies);
    local.stack.resumeConsumer('sendBulk');
  }

  /** Held jobs cut into jobs of `size` recipients, as the fan-out would have made them with that job size. */
  function inJobsOf(size: number, jobs: readonly QueuedSendJob[]): QueuedSendJob[] {
    return jobs.flatMap(({ job }) =>
      Array.from({ length: Math.ceil(job.recipients.length / size) }, (_, index) => {
        const piece = { ...job, recipients: job.recipients.slice(index * size, (index + 1) * size) };
        return { body: JSON.stringify(piece), job: piece };
      }),
    );
  }

  /** Once every queue is quiet, the invariants of the broadcast. */
  async function checked(broadcastId: string, residents: readonly string[], finalStatus: 'sent' | 'cancelled' = 'sent') {
    await local.stack.settled(60_000);
    return expectDeliveryInvariants(local.stack, local.client, broadcastId, residents, { finalStatus });
  }

  async function firstBroadcastMessage(broadcastId: string): Promise<void> {
    const prefix = broadcastMessageId(broadcastId, '');
    await expect
      .poll(async () => (await local.client.outbox()).some((message) => message.messageId.startsWith(prefix)), {
        message: `a message of broadcast ${broadcastId} reached the sandbox`,
        timeout: 20_000,
        interval: 20,
      })
      .toBe(true);
  }

  it('sends once to everyone when every send job is delivered three times at once', async () => {
    // Prepare
    const residents = residentPhones(440, 12);
    const { broadcastId, jobs } = await broadcastHeld('bins', residents);
    const handedBefore = local.stack.consumerStats('sendBulk').records;

    // Act: three copies of each job, received by the consumer's concurrent invocations together.
    await release(jobs, 3);
    const report = await checked(broadcastId, residents);

    // Assess: every copy was handed to the sender. At least: on a loaded machine an invocation can
    // outlast the scaled visibility timeout (4 s), and SQS then hands a copy again, as it may.
    expect(local.stack.consumerStats('sendBulk').records - handedBefore).toBeGreaterThanOrEqual(jobs.length * 3);
    expect(report.counts).toMatchObject({ sent: residents.length, failed: 0, skipped: 0 });
  }, 90_000);

  it('neither sends nor counts again when SQS delivers every send job a second time after it was done', async () => {
    // Prepare
    const residents = residentPhones(460, 12);
    const { broadcastId, jobs } = await broadcastHeld('parks', residents);
    const redeliveredBefore = local.stack.consumerStats('sendBulk').redelivered;

    // Act: each job is done, its delete lost, and it comes back after the visibility timeout.
    local.stack.loseDeletes('sendBulk', jobs.length);
    await release(jobs);
    const report = await checked(broadcastId, residents);

    // Assess: every job was handed to the sender a second time (or more: see the test above).
    expect(local.stack.consumerStats('sendBulk').redelivered - redeliveredBefore).toBeGreaterThanOrEqual(jobs.length);
    expect(report.counts).toMatchObject({ sent: residents.length, failed: 0, skipped: 0 });
  }, 90_000);

  it('sends nothing but the confirmation after a STOP, whether it lands before a resident’s job or during the broadcast', async () => {
    // Prepare
    const { stack, client } = local;
    const residents = residentPhones(480, 12);
    const [stopsBefore, stopsDuring] = [residents.slice(0, 3), residents.slice(3, 5)];
    const { broadcastId, jobs } = await broadcastHeld('libraries', residents);

    // Act: three STOP while the jobs are held, two more once the broadcast is going out.
    await Promise.all(stopsBefore.map((phone) => client.text(phone, 'STOP')));
    await stack.settled();
    await release(jobs);
    await firstBroadcastMessage(broadcastId);
    await Promise.all(stopsDuring.map((phone) => client.text(phone, 'STOP')));
    const report = await checked(broadcastId, residents);

    // Assess
    for (const phone of stopsBefore) expect(report.records.get(phone), phone).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    for (const phone of [...stopsBefore, ...stopsDuring]) {
      const messages = await client.outbox(phone);
      expect(messages.filter((message) => message.body === optedOutReply), phone).toHaveLength(1);
      expect(messages.at(-1)?.body, phone).toBe(optedOutReply);
    }
  }, 90_000);

  it('skips everyone not yet sent to when staff cancel the broadcast while it goes out', async () => {
    // Prepare: the fan-out packs the twelve residents into one job; held, it is cut into jobs of
    // three. The first goes out alone; the rest wait until the cancel.
    const residents = residentPhones(500, 12);
    const { broadcastId, jobs } = await broadcastHeld('events', residents);
    const [first, ...rest] = inJobsOf(3, jobs);

    // Act
    await release([first!]);
    await firstBroadcastMessage(broadcastId);
    const cancelled = await local.client.api('POST', `/v1/broadcasts/${broadcastId}/cancel`);
    await release(rest);
    const report = await checked(broadcastId, residents, 'cancelled');

    // Assess: the jobs that came after the cancel sent nothing.
    expect(cancelled.status).toBe(200);
    for (const phone of rest.flatMap(({ job }) => job.recipients.map((recipient) => recipient.phone))) {
      expect(report.records.get(phone), phone).toMatchObject({ status: 'skipped', skipReason: 'cancelled' });
    }
    expect(report.counts.sent).toBeGreaterThan(0);
  }, 90_000);
});
