import { AsyncLocalStorage } from 'node:async_hooks';

/** One local invocation of a function, as the requests it makes see it. */
export interface Invocation {
  /** True once it has answered, thrown, timed out or crashed: what runs now is work it left behind. */
  ended: boolean;
  /** Ends it at once, as a Lambda whose runtime process died: its caller gets the runtime's error. */
  crash(): void;
}

const current = new AsyncLocalStorage<Invocation>();

/** Runs `work` as `invocation`: whatever it awaits, however deep, knows which invocation it is part of. */
export function runAsInvocation<T>(invocation: Invocation, work: () => Promise<T>): Promise<T> {
  return current.run(invocation, work);
}

/** The parts of an AWS SDK v3 client's middleware stack used here. */
interface MiddlewareStackLike {
  add(
    middleware: (next: (args: any) => Promise<any>) => (args: any) => Promise<any>,
    options: { step: 'initialize'; name: string; priority: 'high' },
  ): void;
  remove(name: string): boolean;
}

/** A crash armed on the `nth` request (from now) that `matches`, made by any invocation. */
interface ArmedCrash {
  matches: (url: URL) => boolean;
  requestsLeft: number;
  crashed: () => void;
}

const GATE_MIDDLEWARE = 'crierLocalInvocationIoGate';

/** What a frozen call returns: a promise that never settles, as a call from a frozen sandbox never does. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * Every way out of the process a local invocation has: `fetch` (the providers) and the AWS SDK
 * clients (the table, the queues). It does two things a Lambda runtime does by itself.
 *
 * It freezes invocations that have ended. Lambda freezes a function's environment the moment its
 * invocation ends (the handler answered, threw, or ran out of time: middy answers with a timeout
 * error just before the deadline), so work the run left going, such as a batch still waiting on a
 * provider, stops there; after a timeout or a crash the environment is thrown away. The local
 * stack runs every invocation in one process and cannot stop a promise chain, so instead it
 * refuses to start a request for an ended one: the call never settles, and the run stops there.
 * Requests already under way finish, as they might in AWS. A frozen run's pending promises stay
 * pending: anything it started and shared with later runs (a cached lookup begun after it ended)
 * would wait forever, where AWS would have started afresh.
 *
 * And it can crash one: `crashOnRequest` makes the invocation that makes a chosen request die
 * there, before the request leaves, as a process killed mid-batch would.
 */
export class InvocationIoGate {
  private armedCrash: ArmedCrash | undefined;

  private constructor(
    private readonly realFetch: typeof fetch,
    private readonly clients: readonly { middlewareStack: MiddlewareStackLike }[],
  ) {}

  /** Puts the gate on the global `fetch` and on these SDK clients, until `uninstall`. */
  static install(clients: readonly { middlewareStack: MiddlewareStackLike }[]): InvocationIoGate {
    const gate = new InvocationIoGate(globalThis.fetch, clients);
    globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
      const href = input instanceof Request ? input.url : String(input);
      // Left to fetch itself to refuse, as it would without the gate.
      const url = URL.canParse(href) ? new URL(href) : undefined;
      return gate.letThrough(url) ? gate.realFetch(input, init) : never<Response>();
    };
    for (const client of clients) {
      client.middlewareStack.add((next) => (args) => (gate.letThrough(undefined) ? next(args) : never()), {
        step: 'initialize',
        name: GATE_MIDDLEWARE,
        priority: 'high',
      });
    }
    return gate;
  }

  /**
   * The invocation that makes the `nth` request (from now, 1: the next) to a URL that `matches`
   * crashes as it makes it: the request never leaves, and the invocation ends in error. Resolves
   * when it has crashed.
   */
  crashOnRequest(matches: (url: URL) => boolean, nth: number): Promise<void> {
    if (!Number.isInteger(nth) || nth < 1) throw new RangeError(`nth must be a whole number from 1, not ${nth}`);
    return new Promise((crashed) => {
      this.armedCrash = { matches, requestsLeft: nth, crashed };
    });
  }

  uninstall(): void {
    globalThis.fetch = this.realFetch;
    for (const client of this.clients) client.middlewareStack.remove(GATE_MIDDLEWARE);
  }

  /** False for a request an invocation must not make: it has ended, or it crashes on this one. */
  private letThrough(url: URL | undefined): boolean {
    const invocation = current.getStore();
    if (!invocation) return true;
    if (invocation.ended) return false;
    const crash = this.armedCrash;
    if (url && crash?.matches(url)) {
      crash.requestsLeft -= 1;
      if (crash.requestsLeft === 0) {
        this.armedCrash = undefined;
        invocation.crash();
        crash.crashed();
        return false;
      }
    }
    return true;
  }
}
