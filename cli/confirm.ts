import { createInterface } from 'node:readline/promises';
import { UsageError } from './errors.js';

/**
 * Asks a yes/no question on the terminal; only "y" or "yes" is a yes. Without a terminal there
 * is nobody to ask, so the command must be told with `flag` instead of guessing.
 */
export async function confirm(question: string, flag: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError(`not a terminal, so nobody can confirm: pass ${flag} to go ahead`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  // readline swallows Ctrl-C at a prompt; without this the command would end as if it succeeded.
  prompt.on('SIGINT', () => {
    process.stderr.write('\n');
    process.exit(130);
  });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
