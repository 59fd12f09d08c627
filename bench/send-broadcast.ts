import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BroadcastView } from './admin-api.js';
import type { Bench, Sent } from './cell-state.js';
import { MachineSampler } from './machine.js';
import type { MemorySample, MemorySampler } from './memory.js';
import type { Options } from './options.js';
import { log, sleep, watchBroadcast } from './progress.js';
import { BENCH_TEMPLATE } from './urgent.js';

/* A cell's measured broadcast: created, followed until it is over, with memory and machine sampled around it. */

// A forced collection before each memory baseline, so the baseline is what is live, not garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Creates the measured broadcast and follows it until every recipient has an outcome (or it stalls, or times out). */
export async function sendBroadcast(bench: Bench, memory: MemorySampler, options: Options, topics: string[]): Promise<Sent> {
  await sleep(1_000); // let the pollers settle into idle polling
  collectGarbage();
  memory.start();
  const machine = new MachineSampler({
    emulatorsEventLoop: () => bench.stack.emulatorsEventLoop(),
    sendersEventLoop: () => bench.stack.sendersEventLoop(),
    sandboxEdgeEventLoop: () => bench.stack.sandboxEdgeEventLoop(),
    senderStalls: bench.stack.sendersEventLoop() ? bench.senderStalls : undefined,
  });
  machine.start();
  const baseline = memory.sample();
  const beforeBroadcast = bench.snapshot();
  const createdAt = Date.now();
  const created = await bench.api.expect<BroadcastView>(201, 'POST', '/v1/broadcasts', {
    topics,
    body: 'Bin collections move to Saturday next week because of the bank holiday. Details: cardiff.gov.uk/bins',
    priority: 'normal',
    // WhatsApp residents who have not written in 24 hours get the template, as in a real broadcast.
    whatsappTemplate: BENCH_TEMPLATE,
  });
  log(`broadcast ${created.id} created (normal priority, ${topics.length} topics)`);
  const deadline = createdAt + options.timeoutMin * 60_000;
  let liveAfterFanOut: MemorySample | undefined;
  const watched = await watchBroadcast(bench.stack, bench.observer, created.id, {
    deadline,
    label: 'broadcast',
    idleLanes: ['fanOut', 'sendBulk'],
    untilFanOut: options.fanOutOnly,
    // What is still live once the fan-out is over (peaks include garbage not yet collected).
    onFanOutDone: () => {
      collectGarbage();
      liveAfterFanOut = memory.sample();
    },
  });
  machine.stop();
  return { id: created.id, createdAt, deadline, watched, baseline, liveAfterFanOut, beforeBroadcast, afterSends: bench.snapshot(), machine };
}

export function fanOutMemory(options: Options, sent: Sent, memory: MemorySampler) {
  memory.stop();
  const peak = memory.peak(sent.createdAt, sent.watched.fanOutDoneAt ?? Date.now());
  return {
    subscribers: options.subscribers,
    recipients: sent.watched.targetedAtFanOut,
    fanOutSeconds: sent.watched.fanOutDoneAt ? (sent.watched.fanOutDoneAt - sent.createdAt) / 1000 : undefined,
    baselineRss: sent.baseline.rss,
    baselineHeapUsed: sent.baseline.heapUsed,
    peakRss: peak.rss,
    peakHeapUsed: peak.heapUsed,
    liveHeapAfterFanOut: sent.liveAfterFanOut?.heapUsed,
    liveRssAfterFanOut: sent.liveAfterFanOut?.rss,
  };
}
