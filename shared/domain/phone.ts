import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/** An E.164 number such as `+447700900123`: the only form stored or passed between modules. */
export type E164 = string & { readonly __brand: 'E164' };

/**
 * Ofcom's UK mobile range reserved for drama and testing (07700 900000–900999). libphonenumber
 * marks it invalid on purpose (it is never allocated), but it is exactly the range people use to
 * try a gateway out, and the one the README's and docs/contract.md's examples use: accepting it
 * lets nobody real be texted by a test. The other Ofcom drama ranges (e.g. 020 7946 0xxx)
 * already pass as valid fixed lines.
 */
const OFCOM_DRAMA_MOBILE = /^\+447700900\d{3}$/;

/**
 * Normalises a number typed in international or national form to E.164, or returns undefined.
 * `libphonenumber-js/max` carries full metadata, so a number is checked against the numbering
 * plan (valid ranges), not just a plausible length.
 */
export function toE164(input: string, defaultCountry: CountryCode): E164 | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (!parsed) return undefined;
  if (parsed.isValid() || OFCOM_DRAMA_MOBILE.test(parsed.number)) return parsed.number as E164;
  return undefined;
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
