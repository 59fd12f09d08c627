import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** An error as the design system's error summary lists it, and the message beside its field. */
export interface SignInFieldError {
  field: 'email' | 'password';
  text: string;
}

/** What the local sign-in form posts. Anything else in the body is ignored; anything missing is empty. */
export const signInFormSchema = z.object({
  email: z.string().max(254).catch('').default(''),
  password: z.string().max(1024).catch('').default(''),
});
export type SignInForm = z.output<typeof signInFormSchema>;

/** Empty fields, in the order the form shows them (GOV.UK's wording: "Enter your …"). */
export function missingFields(form: SignInForm): SignInFieldError[] {
  return [
    ...(form.email.trim() === '' ? [{ field: 'email' as const, text: 'Enter your email address' }] : []),
    ...(form.password === '' ? [{ field: 'password' as const, text: 'Enter your password' }] : []),
  ];
}

/**
 * The one refusal of a filled-in form: it never says whether the email or the password was wrong,
 * so the form cannot be used to find out who is on the staff.
 */
export const NO_MATCH: SignInFieldError = { field: 'email', text: 'Enter an email address and password that match' };

/** Compared as SHA-256 digests in constant time: equal lengths, and no early exit that times the guess. */
export function samePassword(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The local provider's subject for an email: stable across restarts, and not the address itself. */
export function localSubject(email: string): string {
  return `local-${createHash('sha256').update(email).digest('hex').slice(0, 32)}`;
}
