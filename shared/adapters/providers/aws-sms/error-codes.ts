import type {
  ConflictExceptionReason,
  ServiceQuotaExceededExceptionReason,
  ValidationExceptionReason,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { ProviderErrorKind } from '../../../domain/errors.js';

/**
 * The exceptions `SendTextMessage` can throw (AWS End User Messaging SMS API reference,
 * pinpoint-sms-voice-v2), in the terms the sender acts on. Several carry a `Reason` that says
 * more; where it changes what to do, the reason tables below win over this one.
 */
export const awsSmsExceptionKinds = {
  // Above the account's or the number's rate: AWS did not take the message, retry later.
  ThrottlingException: 'throttled',
  // AWS's own failure, answered before the message was taken: its docs advise retrying.
  InternalServerException: 'connectionFailed',
  // The origination identity or configuration set named in the settings does not exist.
  ResourceNotFoundException: 'misconfigured',
  // The account is not allowed to send (role, account disabled, reputation): every send fails,
  // whatever its reason (ACCOUNT_DISABLED, INSUFFICIENT_ACCOUNT_REPUTATION).
  AccessDeniedException: 'misconfigured',
  /*
   * A quota, for a send usually the monthly SMS spend limit. Every message fails until an
   * operator raises it in the console, so it is misconfiguration rather than a throttle: a retry
   * minutes later would fail the same way.
   */
  ServiceQuotaExceededException: 'misconfigured',
  // The state of a resource forbids this send; the common reasons are listed below.
  ConflictException: 'rejected',
  // A parameter AWS refused; the reasons below tell a bad destination from our mistakes.
  ValidationException: 'rejected',
} as const satisfies Record<string, ProviderErrorKind>;

export type AwsSmsException = keyof typeof awsSmsExceptionKinds;

/** `ConflictException.Reason`s that mean something more specific than "rejected". */
export const awsSmsConflictReasonKinds = {
  // The destination replied STOP (or was added to the opt-out list): record it, never retry.
  DESTINATION_PHONE_NUMBER_OPTED_OUT: 'recipientOptedOut',
  // The account is still in the SMS sandbox and this destination is not verified.
  DESTINATION_PHONE_NUMBER_NOT_VERIFIED: 'misconfigured',
  // The origination identity cannot send SMS, or not this message type (transactional).
  NUMBER_CAPABILITIES_MISMATCH: 'misconfigured',
  MESSAGE_TYPE_MISMATCH: 'misconfigured',
  // Neither the settings nor the account offer a number for this destination.
  NO_ORIGINATION_IDENTITIES_FOUND: 'misconfigured',
  // The deployment's protect configuration blocks this country: an operator decision.
  DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION: 'misconfigured',
  // An operator blocked this one destination with a protect rule.
  DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE: 'rejected',
} as const satisfies Partial<Record<ConflictExceptionReason, ProviderErrorKind>>;

/** `ValidationException.Reason`s that mean something more specific than "rejected". */
export const awsSmsValidationReasonKinds = {
  // The destination is not a phone number AWS can read: not a number we can deliver to.
  CANNOT_PARSE: 'invalidRecipient',
  // The destination's country does not match the number: the number itself is wrong.
  COUNTRY_CODE_MISMATCH: 'invalidRecipient',
  // Our sender or account cannot reach this destination: settings an operator must change.
  DESTINATION_COUNTRY_BLOCKED: 'misconfigured',
  COUNTRY_NOT_ENABLED: 'misconfigured',
  INTERNATIONAL_SENDING_NOT_SUPPORTED: 'misconfigured',
  INVALID_IDENTITY_FOR_DESTINATION_COUNTRY: 'misconfigured',
  SENDER_ID_NOT_REGISTERED: 'misconfigured',
  SENDER_ID_NOT_SUPPORTED: 'misconfigured',
  SENDER_ID_REQUIRES_REGISTRATION: 'misconfigured',
  INVALID_ARN: 'misconfigured',
  RESOURCE_NOT_ACCESSIBLE: 'misconfigured',
  // This message is at fault (too long, too dear): sending it again would be refused again.
  MAXIMUM_SIZE_EXCEEDED: 'rejected',
  PRICE_OVER_THRESHOLD: 'rejected',
} as const satisfies Partial<Record<ValidationExceptionReason, ProviderErrorKind>>;

/**
 * `ServiceQuotaExceededException.Reason`s that differ from the exception's default: a daily cap
 * on one destination lifts by itself, so the message may be tried again later.
 */
export const awsSmsQuotaReasonKinds = {
  DAILY_DESTINATION_CALL_LIMIT: 'throttled',
} as const satisfies Partial<Record<ServiceQuotaExceededExceptionReason, ProviderErrorKind>>;

const exceptionKinds: Readonly<Record<string, ProviderErrorKind>> = awsSmsExceptionKinds;
const reasonKinds: Readonly<Record<string, Readonly<Record<string, ProviderErrorKind>>>> = {
  ConflictException: awsSmsConflictReasonKinds,
  ValidationException: awsSmsValidationReasonKinds,
  ServiceQuotaExceededException: awsSmsQuotaReasonKinds,
};

/**
 * What an exception AWS answered with means. The reason wins over the exception; an exception not
 * listed falls back to its fault: `server` is retried, `client` is not.
 */
export function awsSmsErrorKind(exception: string, reason: string | undefined, fault: 'client' | 'server' | undefined): ProviderErrorKind {
  const byReason = reason === undefined ? undefined : reasonKinds[exception]?.[reason];
  if (byReason !== undefined) return byReason;
  const kind = exceptionKinds[exception];
  if (kind !== undefined) return kind;
  return fault === 'server' ? 'connectionFailed' : 'rejected';
}
