import type { z } from 'zod';
import { UsageError, type FieldProblem } from './errors.js';

/** zod issues as the CLI prints them: the argument or option name, then what is wrong. */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'input', message: issue.message }));
}

/** An option as typed on the command line: `ageBand` → `age-band`. */
export function optionName(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Validates a command's arguments and options at the boundary; problems are named by the option
 * as typed (`age-band`, not `ageBand`). Only what the CLI can know for
 * sure is checked here (an empty body, say); the API stays the judge of everything else (phone
 * numbers, topic ids), so the two cannot disagree.
 */
export function parseArguments<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      field: issue.path.map((part) => (typeof part === 'string' ? optionName(part) : String(part))).join('.') || 'input',
      message: issue.message,
    }));
    throw new UsageError('invalid arguments', problems);
  }
  return result.data;
}
