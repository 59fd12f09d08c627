import type { AdminApi, Broadcast } from './admin-api.js';
import type { Output } from './output.js';
import { isFinished, progressLine } from './progress-bar.js';

const POLL_INTERVAL_MS = 1_000;

/**
 * Polls a broadcast every second until it is sent or cancelled. On a terminal the progress is
 * one line redrawn in place; piped into a file or another program, a line is printed only when
 * something changed, so logs stay readable.
 */
export async function watchBroadcast(api: AdminApi, id: string, output: Output): Promise<{ data: Broadcast; raw: unknown }> {
  const live = output.isTerminal && !output.json;
  let lastLine = '';
  // Ctrl-C mid-line would leave the prompt glued to the bar.
  const onInterrupt = () => {
    if (live) output.line();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    for (;;) {
      const result = await api.getBroadcast(id);
      const line = progressLine(result.data);
      if (!output.json && line !== lastLine) {
        if (live) output.write(`\r${line}\x1b[K`);
        else output.line(line);
        lastLine = line;
      }
      if (isFinished(result.data)) {
        if (live) output.line();
        return result;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
