import { AsyncLocalStorage } from 'node:async_hooks';

/** One local invocation of a function; `ended` turns true when it answers, throws or times out. */
export interface Invocation {
  ended: boolean;
}

const current = new AsyncLocalStorage<Invocation>();

/** Runs `work` as `invocation`: whatever it awaits, however deep, knows which invocation it is part of. */
export function runAsInvocation<T>(invocation: Invocation, work: () => Promise<T>): Promise<T> {
  return current.run(invocation, work);
}

/** True inside an invocation that has ended: what runs now is work it left behind. */
export function inEndedInvocation(): boolean {
  return current.getStore()?.ended === true;
}

/** The parts of an AWS SDK v3 client's middleware stack used here. */
interface MiddlewareStackLike {
  add(
    middleware: (next: (args: any) => Promise<any>) => (args: any) => Promise<any>,
    options: { step: 'initialize'; name: string; priority: 'high' },
  ): void;
  remove(name: string): boolean;
}

const FREEZE_MIDDLEWARE = 'crierLocalFreezeEndedInvocations';

/** What a frozen call returns: a promise that never settles, as a call from a thrown-away sandbox never does. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * Freezes invocations that have ended. Lambda freezes a function's environment the moment its
 * invocation ends (the handler answered, threw, or ran out of time: middy answers with a timeout
 * error just before the deadline), so work the run left going, such as a batch still waiting on a
 * provider, stops there; after a timeout the environment is thrown away. The local stack runs
 * every invocation in one process and cannot stop a promise chain, so instead every way out of
 * the process a run has (`fetch`, which the providers use, and the AWS SDK clients, for the table
 * and the queues) refuses to start a request for an ended one: the call never settles, and the
 * run stops there, as a sender that died would. Requests already under way finish, as they might.
 *
 * A frozen run's pending promises stay pending: anything it started and shared with later runs (a
 * cached lookup begun after it ended) would wait forever, where AWS would have started afresh.
 *
 * Returns the function that undoes it (when the stack stops).
 */
export function freezeEndedInvocations(clients: readonly { middlewareStack: MiddlewareStackLike }[]): () => void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => (inEndedInvocation() ? never<Response>() : realFetch(input, init));
  for (const client of clients) {
    client.middlewareStack.add((next) => (args) => (inEndedInvocation() ? never() : next(args)), {
      step: 'initialize',
      name: FREEZE_MIDDLEWARE,
      priority: 'high',
    });
  }
  return () => {
    globalThis.fetch = realFetch;
    for (const client of clients) client.middlewareStack.remove(FREEZE_MIDDLEWARE);
  };
}
