import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { ConfigurationError } from '../domain/errors.js';

/**
 * Parses the process environment with a function's schema. Fails with a message naming every
 * missing or malformed variable, so a bad deployment is obvious from the first log line.
 */
export function parseEnvironment<S extends z.ZodObject>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
    throw new ConfigurationError(`invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
}

/** A zod issue's path as an operator writes it: `SENDERS[1].from`, not `SENDERS.1.from`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

export interface EnvironmentContext<Env> {
  env: Env;
}

/**
 * middy middleware: validates the environment once per container (not at module load, so a test
 * or the local stack can set it first) and puts a typed `context.env` in place.
 */
export function validateEnvironment<S extends z.ZodObject>(
  schema: S,
): MiddlewareObj<any, any, Error, Context & EnvironmentContext<z.infer<S>>> {
  let parsed: z.infer<S> | undefined;
  return {
    before: (request) => {
      parsed ??= parseEnvironment(schema);
      request.context.env = parsed;
    },
  };
}
