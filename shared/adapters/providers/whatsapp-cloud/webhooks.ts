/**
 * Meta WhatsApp Cloud API webhooks: the verification handshake and the `X-Hub-Signature-256`
 * check. Reading the `messages` field (residents' messages and the statuses of ours) is in
 * `payload.ts`: one POST may carry several entries, each with several changes, each with several
 * messages and statuses, and the parser returns them all, in payload order, plus what it skipped
 * and why.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, ValidationError } from '../../../domain/errors.js';

/** The header Meta signs each POST with, lower-cased as the HTTP runtime delivers it. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * True when `signature` (the `X-Hub-Signature-256` header, `sha256=<hex>`) is the HMAC-SHA256 of
 * exactly these body bytes under the app secret. Pass the body as received: Meta signs its bytes
 * (with non-ASCII escaped as \uXXXX), so a body parsed and serialised again would not match.
 */
export function verifyWhatsAppSignature(input: {
  appSecret: string;
  signature: string | undefined;
  rawBody: string | Uint8Array;
}): boolean {
  const { appSecret, signature, rawBody } = input;
  if (!appSecret || !signature) return false;
  const match = SIGNATURE_FORMAT.exec(signature.trim());
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(bodyBytes(rawBody)).digest();
  // Both are 32 bytes here, as timingSafeEqual requires.
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** The `X-Hub-Signature-256` Meta would send with this body: for tests and the CLI. */
export function signWhatsAppPayload(appSecret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', appSecret).update(bodyBytes(rawBody)).digest('hex')}`;
}

function bodyBytes(rawBody: string | Uint8Array): Uint8Array {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
}

const HANDSHAKE_PARAMETERS = ['hub.mode', 'hub.verify_token', 'hub.challenge'] as const;

/**
 * Meta's verification request (a GET when the callback URL is saved in the app dashboard): the
 * `hub.challenge` to echo when `hub.mode` is `subscribe` and `hub.verify_token` is ours.
 * Throws ValidationError naming each missing parameter, ForbiddenError for a wrong mode or token.
 */
export function answerVerificationRequest(query: Readonly<Record<string, string | undefined>>, verifyToken: string): string {
  const missing = HANDSHAKE_PARAMETERS.filter((name) => !query[name]);
  if (missing.length > 0) {
    throw new ValidationError(
      `the verification request is missing ${missing.join(', ')}`,
      missing.map((field) => ({ field, message: 'is required' })),
    );
  }
  if (query['hub.mode'] !== 'subscribe') throw new ForbiddenError('hub.mode must be subscribe');
  if (!sameSecret(query['hub.verify_token'] ?? '', verifyToken)) {
    throw new ForbiddenError('hub.verify_token does not match the configured verify token');
  }
  return query['hub.challenge'] ?? '';
}

/** Constant-time comparison of two strings of any length (hashing first evens the lengths). */
function sameSecret(given: string, expected: string): boolean {
  if (!expected) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Reading the payload is its own file; re-exported here, where the rest of Meta's webhook lives. */
export { parseWhatsAppWebhook } from './payload.js';
