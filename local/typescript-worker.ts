import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module. On Node 20 a worker thread does not inherit the
 * loader tsx registers in the main one (`npm start` and the bench run under tsx), so the thread's
 * entry registers tsx's own before it imports the module.
 */
export function typeScriptWorker(module: URL, options: WorkerOptions): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(module.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), options);
}

/** A worker thread's event loop so far, busy and idle (ms), read from the thread that started it. */
export function eventLoopOf(worker: Worker): { active: number; idle: number } {
  const { active, idle } = worker.performance.eventLoopUtilization();
  return { active, idle };
}

/**
 * Closes a worker thread once: asks it to close (it answers, and `closed` is called), waits for
 * that answer or for the thread to end, then ends it. A thread that has already ended has nothing
 * left to close, and whoever waits on it is let go. Create it once the thread has started.
 */
export class WorkerCloser {
  private exited = false;
  private onClosed: () => void = () => undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly thread: Worker,
    private readonly closeRequest: unknown,
    /** Called once when the thread ends, however it ends. */
    private readonly onEnded: () => void = () => undefined,
  ) {
    thread.on('exit', () => this.ended());
  }

  /** The thread's answer to the close request. */
  closed(): void {
    this.onClosed();
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      if (this.exited) return;
      const closed = new Promise<void>((resolve) => (this.onClosed = resolve));
      this.thread.postMessage(this.closeRequest);
      await closed;
      await this.thread.terminate();
      this.ended();
    })());
  }

  private ended(): void {
    if (this.exited) return;
    this.exited = true;
    this.onEnded();
    this.onClosed();
  }
}
