import type { z } from 'zod';
import { ConfigurationError } from '../../domain/errors.js';

/** One setting a provider cannot work without, or that is malformed, by the name an operator sets. */
export interface SettingProblem {
  /** The setting's name (`AWS_SMS_ORIGINATION_IDENTITY`); empty for a problem of the settings as a whole. */
  setting: string;
  /** Not given at all, as opposed to given but malformed. */
  missing: boolean;
  message: string;
}

/**
 * A provider's settings are incomplete or malformed. Carries each problem, so the start-up check of
 * every listed provider (listed-providers.ts) can say which list named the provider and what to set.
 */
export class ProviderSettingsError extends ConfigurationError {
  constructor(
    readonly provider: string,
    readonly problems: SettingProblem[],
  ) {
    super(`invalid ${provider} settings: ${problems.map(describeProblem).join('; ')}`);
    this.name = 'ProviderSettingsError';
  }
}

function describeProblem({ setting, message }: SettingProblem): string {
  return setting === '' ? message : `${setting} ${message}`;
}

/**
 * Validates a provider's settings with its schema. `names` maps the schema's field names to the
 * settings operators set (Twilio's schema says `accountSid`, operators set TWILIO_ACCOUNT_SID), in
 * the field paths and in the messages, so an error names what to fix. Never puts a value in it.
 */
export function parseProviderSettings<S extends z.ZodType>(
  schema: S,
  input: unknown,
  provider: string,
  names: Record<string, string> = {},
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, unknown> = typeof input === 'object' && input !== null ? { ...input } : {};
  const rename = (text: string) => text.replace(/\b[A-Za-z_]+\b/g, (word) => names[word] ?? word);
  throw new ProviderSettingsError(
    provider,
    result.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.');
      return { setting: rename(field), missing: field !== '' && fields[field] === undefined, message: rename(issue.message) };
    }),
  );
}
