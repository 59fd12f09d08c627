import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/** An E.164 number such as `+447700900123`: the only form stored or passed between modules. */
export type E164 = string & { readonly __brand: 'E164' };

/**
 * Normalises a number typed in international or national form to E.164, or returns undefined.
 * `libphonenumber-js/max` carries full metadata, so e.g. `+44 7700 900123` (an Ofcom drama
 * number) is recognised as a valid UK mobile, not just a plausible length.
 */
export function toE164(input: string, defaultCountry: CountryCode): E164 | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (!parsed || !parsed.isValid()) return undefined;
  return parsed.number as E164;
}

/** A zod field that accepts a phone number in any common form and yields E.164. */
export function phoneNumberField(defaultCountry: CountryCode) {
  return z.string().transform((value, ctx) => {
    const e164 = toE164(value, defaultCountry);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid phone number` });
      return z.NEVER;
    }
    return e164;
  });
}
