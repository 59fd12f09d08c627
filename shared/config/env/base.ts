import { z } from 'zod';
import { metricsNamespace } from '../../platform/metrics.js';
import { retentionEnvShape } from '../../retention/periods.js';

/**
 * What every function is given (Powertools, the default country) and what every function that
 * touches the table is given, with the small schemas the other environment modules build from.
 */

export const nonEmpty = z.string().min(1);

/** What a variable's schema reads it as when it is unset: its default, written once, in its schema. */
export function defaultOf<T>(schema: z.ZodType<T, any>): T {
  return schema.parse(undefined);
}

/**
 * Powertools settings every function gets. Traces keep neither a handler's response nor an
 * error's message: either may hold a resident's number or words (shared/runtime/observability.ts).
 */
const observabilityEnvShape = {
  POWERTOOLS_METRICS_NAMESPACE: z.string().default(metricsNamespace),
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: z.enum(['true', 'false']).default('false'),
  POWERTOOLS_TRACER_CAPTURE_ERROR: z.enum(['true', 'false']).default('false'),
};

export const positiveInt = z.coerce.number().int().positive();

/** What every function is given, whatever it does. */
export const baseEnvShape = {
  POWERTOOLS_SERVICE_NAME: z.string().default('crier'),
  POWERTOOLS_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /** Read by Powertools itself (see shared/platform/): where metrics go, and what traces keep. */
  ...observabilityEnvShape,
  /** Numbers typed in national form are read as numbers of this country. */
  DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as GB').default('GB'),
};
export const baseEnvSchema = z.object(baseEnvShape);

/** What every function that reads or writes the table is given. */
export const tableEnvShape = {
  TABLE_NAME: nonEmpty,
  /**
   * How many partitions a topic's subscriber index is spread over. A deployment constant:
   * subscribe writes and fan-out reads must agree on it.
   */
  TOPIC_SHARDS: positiveInt.max(64).default(8),
  /**
   * The retention schedule (shared/retention/): days each class of personal data is kept. Every
   * function that writes the table stamps its records' TTL from these.
   */
  ...retentionEnvShape,
};
export const tableEnvSchema = baseEnvSchema.extend(tableEnvShape);

/** A variable holding JSON: unset or blank is `empty`, anything that does not parse names an example. */
export function jsonVariable(empty: unknown, example: string) {
  return z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return empty;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be JSON: ${example}` });
        return z.NEVER;
      }
    });
}

export type BaseEnv = z.infer<typeof baseEnvSchema>;
export type TableEnv = z.infer<typeof tableEnvSchema>;

/**
 * The environment a deployment must give a function with schema S: required variables must be
 * present, variables with defaults may be left out. Values are strings (or CDK tokens).
 */
export type EnvironmentOf<S extends z.ZodObject> = {
  [K in keyof z.input<S> as undefined extends z.input<S>[K] ? never : K]-?: string;
} & {
  [K in keyof z.input<S> as undefined extends z.input<S>[K] ? K : never]?: string;
};
