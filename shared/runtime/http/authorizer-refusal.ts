import { z } from 'zod';
import { AuthenticationError } from '../../domain/errors.js';

/**
 * How the admin API's Lambda authorizer hands a refused key on to the route's function. An HTTP
 * API answers an authorizer's own refusal (`isAuthorized: false`) only with a bare
 * `403 {"message":"Forbidden"}`, and no CloudFront feature can rewrite it; crier's contract is
 * `401 {error, details}` without a valid key and `403` only outside the key's department or role,
 * which scripts outside crier tell apart. So the authorizer lets the request through carrying only
 * the refusal (flat values, as a simple response's context must be), and the route's function
 * answers 401 from it before it does anything else: no route runs and nothing is read.
 */
const refusalContextSchema = z.object({
  refusal: z.string().min(1),
  /** The revoked key that was refused, for the access log; never the key itself. */
  keyId: z.string().min(1).optional(),
});

export type RefusalContext = z.infer<typeof refusalContextSchema>;

/** The authorizer's context for a key it refused. */
export function refusalContext(error: AuthenticationError): RefusalContext {
  return { refusal: error.message, ...(error.keyId === undefined ? {} : { keyId: error.keyId }) };
}

/**
 * The refusal in `requestContext.authorizer.lambda`, when the authorizer refused the key. A context
 * that carries `refusal` is a refusal whatever else it holds (a principal never has that field),
 * so nothing downstream can take it for a reason to look the key up again.
 */
export function authorizerRefusal(authorizer: unknown): RefusalContext | undefined {
  const parsed = z.object({ lambda: refusalContextSchema }).safeParse(authorizer);
  return parsed.success ? parsed.data.lambda : undefined;
}

/** The error a refused request is answered with: crier's 401, naming the refused key for the log. */
export function refusalError(refusal: RefusalContext): AuthenticationError {
  return new AuthenticationError(refusal.refusal, refusal.keyId === undefined ? undefined : { keyId: refusal.keyId });
}
