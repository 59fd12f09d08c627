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
