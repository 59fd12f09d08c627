import type { Context } from 'hono';
import { sameSecret } from '../shared/staff/session.js';

/**
 * Whether a posted form carries the session's synchronizer token (every console form has it in a
 * hidden `csrf` field), compared in constant time.
 */
export async function carriesCsrfToken(c: Context, expected: string): Promise<boolean> {
  const body = await c.req.parseBody();
  return sameSecret(typeof body.csrf === 'string' ? body.csrf : undefined, expected);
}
