import type { ImportProblemKind } from './subscriber-import.js';
/**
 * The error taxonomy. Handlers map these to HTTP by class (never by name string);
 * queue consumers use `ProviderError.retryable` to decide between retry and record-and-move-on.
 */

/**
 * What every crier error derives from, here or in its capability's folder (the sender's signals,
 * a provider's settings, the CLI's exit codes, the local stack's runtime, the deployment target),
 * so `instanceof CrierError` tells crier's own refusals from anything a library or the runtime
 * threw. Each subclass sets `this.name` to its class name as a string literal: the Lambda bundles
 * are minified, so the constructor's own name cannot be trusted for the logs.
 * test/unit/error-classes.test.ts holds every error class in the source tree to both.
 */
export abstract class CrierError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    // An absent cause is left out rather than set to undefined, so `'cause' in error` stays false.
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body` or `topics.0`. */
  field: string;
  message: string;
}

export class ValidationError extends CrierError {
  readonly details: FieldIssue[];
  constructor(message: string, details: FieldIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValidationError';
    this.details = details;
  }
}

/** The request body is larger than the route accepts. */
export class PayloadTooLargeError extends CrierError {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body is larger than ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
    this.limitBytes = limitBytes;
  }
}

export class AuthenticationError extends CrierError {
  /** The key that was refused, when it is known (a revoked key): for the log, never for the caller. */
  readonly keyId: string | undefined;
  constructor(message = 'a valid API key is required (Authorization: Bearer <key>)', options?: { cause?: unknown; keyId?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthenticationError';
    this.keyId = options?.keyId;
  }
}

/** Authenticated, but not allowed: outside the key's department or role, or a forged webhook. */
export class ForbiddenError extends CrierError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends CrierError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends CrierError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/** A department's limit would be passed (its daily message cap); the details say by how much. */
export class LimitExceededError extends CrierError {
  readonly details: FieldIssue[];
  constructor(message: string, details: FieldIssue[] = []) {
    super(message);
    this.name = 'LimitExceededError';
    this.details = details;
  }
}

/** The environment or deployment settings are missing or malformed: a deploy-time mistake. */
export class ConfigurationError extends CrierError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * What went wrong at a provider, in the terms the sender acts on
 * (after nyaruka/courier's channel errors).
 */
export const providerErrorKinds = {
  /** 429 and provider-specific rate limits: back off and retry. */
  throttled: { retryable: true },
  /** The request certainly did not get through (refused connection, DNS, a 5xx answer): retry. */
  connectionFailed: { retryable: true },
  /**
   * The request left but no answer came (a timeout, a connection dropped mid-request): the provider
   * may have taken the message. Never retried, so nobody is texted twice; recorded as failed.
   */
  outcomeUnknown: { retryable: false },
  /** The provider knows this recipient opted out (Twilio 21610): record the opt-out. */
  recipientOptedOut: { retryable: false },
  /** Not a number the provider can deliver to (Twilio 21211/21614): mark undeliverable. */
  invalidRecipient: { retryable: false },
  /** WhatsApp free text outside the 24-hour window (Twilio 63016, Meta 131047). */
  windowClosed: { retryable: false },
  /** The provider refused the message for another, permanent reason. */
  rejected: { retryable: false },
  /** Our credentials or sender identity are wrong: every retry would fail the same way. */
  misconfigured: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type ProviderErrorKind = keyof typeof providerErrorKinds;

export class ProviderError extends CrierError {
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  readonly provider: string;
  /** The provider's own error code, when it gave one (e.g. Twilio's 21610). */
  readonly providerCode: string | undefined;
  constructor(
    provider: string,
    kind: ProviderErrorKind,
    message: string,
    options?: { cause?: unknown; providerCode?: string | number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.kind = kind;
    this.retryable = providerErrorKinds[kind].retryable;
    this.providerCode = options?.providerCode === undefined ? undefined : String(options.providerCode);
  }
}

/**
 * The local stack cannot start because something it needs is taken or absent (its port, the
 * address in HOST, its DATA_DIR): the person starting it can fix that, and the message says how,
 * so `npm start` prints the message alone, without a stack trace.
 */
export class LocalStackStartError extends CrierError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStackStartError';
  }
}

/**
 * An import refused whole: `details` are the API's field-level problems; `problems` are the same
 * with their kind and line, for the console's check page to group, and `batchId` names the
 * batch whose record keeps the refusal.
 */
export class ImportRefusedError extends ValidationError {
  readonly problems: readonly ImportProblem[];
  readonly batchId: string;
  constructor(message: string, problems: readonly ImportProblem[], batchId: string) {
    super(message, problems.map(({ field, message: words }) => ({ field, message: words })));
    this.name = 'ImportRefusedError';
    this.problems = problems;
    this.batchId = batchId;
  }
}

export interface ImportProblem extends FieldIssue {
  kind: ImportProblemKind;
  line: number | undefined;
}
