import { awsClients } from '../shared/adapters/aws-clients.js';
import { AwsRequestCounter } from './aws-request-counter.js';
import { instrumentFetch, instrumentQueuePollers, type RecorderSink } from './lambda-timing.js';
import type { OperationStats } from './request-counts.js';
import { paceWriteOf, type TimedPaceWrite } from './timeline.js';
import { TimerLateness, type Stall } from './timer-lateness.js';

/*
 * The bench's instruments on the senders' thread (local/senders-in-thread.ts), where the sending
 * functions run in the bench as in npm start: the same invocation timing, fetch timing, AWS
 * request counting and timer probe as on the stack's thread, each figure reported to the stack's
 * thread (bench/instrumented-stack.ts), where it joins that thread's own. The thread imports this
 * module before it starts a consumer, so nothing it does goes uncounted.
 */

/** One figure from the senders' thread. */
export type SendersThreadReport =
  | { kind: 'recorder'; call: RecorderCall }
  | { kind: 'counted'; key: string; delta: OperationStats }
  | { kind: 'paceWrite'; write: TimedPaceWrite }
  | { kind: 'stalls'; stalls: Stall[] };

/** A RecorderSink method and its arguments, as the recorder on the stack's thread is to be called. */
export type RecorderCall = { [Method in keyof RecorderSink]: { method: Method; args: Parameters<RecorderSink[Method]> } }[keyof RecorderSink];

/** How often the timer probe's stalls are sent on (the bench reads them after the broadcast). */
const STALLS_EVERY_MS = 500;
/** `?capacity=off`: the counter estimates units from item sizes, not DynamoDB's answers (--no-request-capacity). */
const requestCapacity = new URL(import.meta.url).searchParams.get('capacity') !== 'off';

export function install(report: (report: SendersThreadReport) => void): void {
  const forward = (call: RecorderCall) => report({ kind: 'recorder', call });
  const recorder: RecorderSink = {
    recordProviderDeparture: (...args) => forward({ method: 'recordProviderDeparture', args }),
    recordReceiveCount: (...args) => forward({ method: 'recordReceiveCount', args }),
    recordProviderAnswer: (...args) => forward({ method: 'recordProviderAnswer', args }),
    recordInvocation: (...args) => forward({ method: 'recordInvocation', args }),
    recordHttp: (...args) => forward({ method: 'recordHttp', args }),
  };
  instrumentQueuePollers(recorder);
  instrumentFetch(recorder);

  const counter = new AwsRequestCounter(requestCapacity);
  counter.attach(awsClients());
  counter.onCounted((key, delta) => report({ kind: 'counted', key, delta }));
  counter.onRequest(({ operation, body, ok, at }) => {
    // Only writes that took effect booked anything; a refused booking changed nothing.
    const write = ok ? paceWriteOf(operation, body) : undefined;
    if (write) report({ kind: 'paceWrite', write: { at, write } });
  });

  // The senders' timers are the ones that pace sends: their lateness is measured where they run.
  const lateness = new TimerLateness();
  lateness.start();
  let reported = 0;
  setInterval(() => {
    if (lateness.stalls.length === reported) return;
    report({ kind: 'stalls', stalls: lateness.stalls.slice(reported) });
    reported = lateness.stalls.length;
  }, STALLS_EVERY_MS).unref();
}

/** Applies a report to the stack's thread's own instruments. */
export function applySendersThreadReport(
  report: SendersThreadReport,
  to: { recorder: RecorderSink; counter: AwsRequestCounter; paceWrites: TimedPaceWrite[]; senderStalls: Stall[] },
): void {
  switch (report.kind) {
    case 'recorder': {
      const { call } = report;
      (to.recorder[call.method] as (...args: typeof call.args) => void)(...call.args);
      break;
    }
    case 'counted':
      to.counter.add(report.key, report.delta);
      break;
    case 'paceWrite':
      to.paceWrites.push(report.write);
      break;
    case 'stalls':
      to.senderStalls.push(...report.stalls);
      break;
  }
}
