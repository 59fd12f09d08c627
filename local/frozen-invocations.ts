import { AsyncLocalStorage } from 'node:async_hooks';

/** One local invocation of a function; `abandoned` turns true when it outlives its timeout. */
export interface Invocation {
  abandoned: boolean;
}

const current = new AsyncLocalStorage<Invocation>();

/** Runs `work` as `invocation`: whatever it awaits, however deep, knows which invocation it is part of. */
export function runAsInvocation<T>(invocation: Invocation, work: () => Promise<T>): Promise<T> {
  return current.run(invocation, work);
}

/** True inside an invocation that has been abandoned at its timeout. */
export function inAbandonedInvocation(): boolean {
  return current.getStore()?.abandoned === true;
}

/** The parts of an AWS SDK v3 client's middleware stack used here. */
interface MiddlewareStackLike {
  add(
    middleware: (next: (args: any) => Promise<any>) => (args: any) => Promise<any>,
    options: { step: 'initialize'; name: string; priority: 'high' },
  ): void;
  remove(name: string): boolean;
}

const FREEZE_MIDDLEWARE = 'crierLocalFreezeAbandonedInvocations';

/** What a frozen call returns: a promise that never settles, as a call from a thrown-away sandbox never does. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * Freezes abandoned invocations. Lambda throws away the sandbox of a timed-out invocation, so
 * nothing it had still to do ever happens. The local stack runs every invocation in one process
 * and cannot stop a promise chain, so instead every way out of the process an invocation has
 * (`fetch`, which the providers use, and the AWS SDK clients, for the table and the queues)
 * refuses to start a request for an abandoned one: the call never settles, and the run stops
 * there. Requests already under way at the timeout finish, as they might in AWS.
 *
 * A frozen run's pending promises stay pending: anything it started and shared with later runs (a
 * cached lookup begun after the timeout) would wait forever, where AWS would have started afresh.
 *
 * Returns the function that undoes it (when the stack stops).
 */
export function freezeAbandonedInvocations(clients: readonly { middlewareStack: MiddlewareStackLike }[]): () => void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => (inAbandonedInvocation() ? never<Response>() : realFetch(input, init));
  for (const client of clients) {
    client.middlewareStack.add((next) => (args) => (inAbandonedInvocation() ? never() : next(args)), {
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
