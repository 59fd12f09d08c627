import type { Context } from 'hono';
import type { ConsoleEnv } from './console-env.js';
import type { SignedInPerson } from './person.js';

/** The person requirePerson put on the context; a page behind it always has one. */
export function signedIn(c: Context<ConsoleEnv>): SignedInPerson {
  const person = c.get('person');
  if (!person) throw new Error('a console page behind sign-in ran without a signed-in person');
  return person;
}
