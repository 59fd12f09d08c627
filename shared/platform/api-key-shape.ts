/**
 * What an API key looks like, checked before anything is looked up, so a request whose key could
 * not be one costs no table read (and, in front of the gateway, no Lambda at all). Every key crier
 * makes is of this shape: `crier_<mode>_<base64url>` keys, the local operator key, the deployed
 * bootstrap key (48 letters and digits), and a local CRIER_BOOTSTRAP_KEY must be too.
 */
export const apiKeyShape = /^[A-Za-z0-9_-]{16,128}$/;

const bearerScheme = /^Bearer\s+(\S+)\s*$/i;

/** The refusals a key's shape alone decides, as crier words them in its `401 {error, details}`. */
export const keyRefusals = {
  missing: 'a valid API key is required (Authorization: Bearer <key>)',
  invalid: 'the API key is not valid (unknown or revoked)',
} as const;

export type KeyRefusal = keyof typeof keyRefusals;

/**
 * The key in `Authorization: Bearer <key>`, or why it is not worth looking up: no bearer token
 * (`missing`), or a token no key could be (`invalid`, worded as for an unknown key: a caller
 * learns nothing from the difference).
 */
export function bearerKey(authorization: string | undefined): { key: string } | { refusal: KeyRefusal } {
  const token = bearerScheme.exec(authorization ?? '')?.[1];
  if (!token) return { refusal: 'missing' };
  return apiKeyShape.test(token) ? { key: token } : { refusal: 'invalid' };
}
