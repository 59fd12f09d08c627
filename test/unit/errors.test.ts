import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  ValidationError,
  providerErrorKinds,
  type ProviderErrorKind,
} from '../../shared/domain/errors.js';

/** Whether the sender retries each kind, written out independently of the table. */
const expectedRetryable: ReadonlyArray<[ProviderErrorKind, boolean]> = [
  ['throttled', true],
  ['connectionFailed', true],
  ['outcomeUnknown', false],
  ['recipientOptedOut', false],
  ['invalidRecipient', false],
  ['windowClosed', false],
  ['rejected', false],
  ['misconfigured', false],
];

describe('providerErrorKinds', () => {
  it('has a row here for every kind', () => {
    // Prepare
    const expected = expectedRetryable.map(([kind]) => kind).sort();

    // Act
    const kinds = Object.keys(providerErrorKinds).sort();

    // Assess
    expect(kinds).toEqual(expected);
  });

  it.each(expectedRetryable)('a %s ProviderError is retryable: %s', (kind, retryable) => {
    // Prepare
    const cause = new Error('socket hang up');

    // Act
    const error = new ProviderError('twilio', kind, 'the provider said no', { cause, providerCode: 21610 });

    // Assess
    expect(error).toMatchObject({ name: 'ProviderError', provider: 'twilio', kind, retryable, providerCode: '21610', cause });
    expect(providerErrorKinds[kind].retryable).toBe(retryable);
  });

  it('leaves the provider code and cause out when there are none', () => {
    // Prepare / Act
    const error = new ProviderError('sandbox', 'rejected', 'no');

    // Assess
    expect(error.providerCode).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });
});

describe('error classes', () => {
  const cause = new Error('underneath');

  it.each<[string, Error]>([
    ['ValidationError', new ValidationError('bad', [], { cause })],
    ['AuthenticationError', new AuthenticationError('no key', { cause })],
    ['ForbiddenError', new ForbiddenError('not yours', { cause })],
    ['NotFoundError', new NotFoundError('none', { cause })],
    ['ConflictError', new ConflictError('taken', { cause })],
    ['ConfigurationError', new ConfigurationError('unset', { cause })],
    ['ProviderError', new ProviderError('twilio', 'rejected', 'refused', { cause })],
  ])('%s names itself, keeps its cause and is an Error', (name, error) => {
    // Prepare / Act
    const { name: actualName } = error;

    // Assess
    expect(actualName).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(error.cause).toBe(cause);
  });

  it('PayloadTooLargeError names its limit', () => {
    // Prepare / Act
    const error = new PayloadTooLargeError(65_536);

    // Assess
    expect(error).toMatchObject({ name: 'PayloadTooLargeError', limitBytes: 65_536, message: 'request body is larger than 65536 bytes' });
  });
});
