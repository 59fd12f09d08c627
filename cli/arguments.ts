import type { z } from 'zod';
import { UsageError, type FieldProblem } from './errors.js';

/** zod issues as the CLI prints them: the argument or option name, then what is wrong. */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'input', message: issue.message }));
}

/**
 * Validates a command's arguments and options at the boundary. Only what the CLI can know for
 * sure is checked here (an empty body, say); the API stays the judge of everything else (phone
 * numbers, topic ids), so the two cannot disagree.
 */
export function parseArguments<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new UsageError('invalid arguments', problemsOf(result.error));
  return result.data;
}
