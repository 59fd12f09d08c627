import { z } from 'zod';
import type { ListedProvider } from '../domain/provider-list.js';
import { providerNames } from '../domain/provider-names.js';

const MAX_WEIGHT = 100;

/**
 * A channel's provider list as written in the environment or CDK context: comma-separated names,
 * each optionally `:weight` (`twilio:80,aws-sms:20`). Each problem is one issue that names the
 * provider at fault, and the caller prefixes the setting's name (`SMS_PROVIDERS: …`).
 */
export function providerListSchema<const Names extends readonly [string, ...string[]]>(names: Names, channelLabel: string) {
  const carried = new Set<string>(names);
  const known = new Set<string>(providerNames);
  const choices = names.join(', ');
  return z.string().transform((value, context): ListedProvider<Names[number]>[] => {
    const problem = (message: string) => context.addIssue({ code: 'custom', message });
    const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    if (entries.length === 0) problem(`must name at least one of: ${choices}`);
    const list: ListedProvider<Names[number]>[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      const separator = entry.indexOf(':');
      const name = (separator === -1 ? entry : entry.slice(0, separator)).trim();
      const weightText = separator === -1 ? undefined : entry.slice(separator + 1).trim();
      if (!known.has(name)) {
        problem(`unknown provider "${name}"; ${channelLabel} providers are: ${choices}`);
        continue;
      }
      if (!carried.has(name)) {
        problem(`${name} cannot carry ${channelLabel}; ${channelLabel} providers are: ${choices}`);
        continue;
      }
      if (seen.has(name)) problem(`must not name a provider twice: ${name} is listed twice`);
      seen.add(name);
      if (weightText === undefined) {
        list.push({ name: name as Names[number] });
        continue;
      }
      // Whole numbers only: a share of "33.3" reads as precision the split does not have.
      const weight = /^\d+$/.test(weightText) ? Number(weightText) : Number.NaN;
      if (!(weight >= 1 && weight <= MAX_WEIGHT)) problem(`weight of ${name} must be a whole number from 1 to ${MAX_WEIGHT}`);
      list.push({ name: name as Names[number], weight });
    }
    const unweighted = list.filter((provider) => provider.weight === undefined);
    if (unweighted.length > 0 && unweighted.length < list.length) {
      // Half a list of weights is ambiguous: an order with a share, or a share with a default?
      problem(`give every provider a weight or none: ${unweighted.map((provider) => provider.name).join(', ')} has none`);
    }
    return list;
  });
}
