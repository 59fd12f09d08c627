/**
 * A gate one operation waits at until another opens it: a test that needs two concurrent
 * operations in a given order makes the first open the latch at the point that matters, so the
 * order is forced rather than made likely by timers. Opening twice is harmless.
 */
export interface Latch {
  /** Resolves once the latch is open. */
  readonly opened: Promise<void>;
  open(): void;
}

export function latch(): Latch {
  // Promise.withResolvers is Node 22's; crier's tests also run on Node 20.
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open: () => open() };
}
