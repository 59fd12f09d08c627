import { CommanderError } from 'commander';
import { CliError } from './errors.js';
import { buildProgram } from './program.js';

/** Usage errors exit 2 (the command line needs changing), failed calls 1, as Unix tools do. */
const USAGE_EXIT_CODE = 2;
const FAILURE_EXIT_CODE = 1;

function report(error: unknown): number {
  // commander has already printed its own message (and `--help` / `--version` output).
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
  if (error instanceof CliError) {
    const lines = [`error: ${error.message}`, ...error.details.map((detail) => `  ${detail.field}: ${detail.message}`)];
    process.stderr.write(`${lines.join('\n')}\n`);
    return error.exitCode;
  }
  // Not an error the CLI knows: a bug. Show the stack, it is what a bug report needs.
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return FAILURE_EXIT_CODE;
}

// A reader that stops early (`npx crier topics list | head`) closes the pipe: the rest of the
// output is not wanted, so the CLI stops quietly and successfully, as a Unix tool does, instead of
// dying on the unhandled 'error' event with a stack trace. Any other write error is still one.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  // exitCode, not exit(): output still being written to a pipe is not cut off.
  process.exitCode = report(error);
}
