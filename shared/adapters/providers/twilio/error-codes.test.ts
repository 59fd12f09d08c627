import { describe, expect, it } from 'vitest';
import type { ProviderErrorKind } from '../../../domain/errors.js';
import { twilioErrorCodeKinds, twilioErrorKind } from './error-codes.js';

describe('twilioErrorKind', () => {
  it('prefers the Twilio code to the HTTP status', () => {
    // Prepare
    const status = 400;

    // Act
    const kind = twilioErrorKind(status, 21610);

    // Assess
    expect(kind).toBe('recipientOptedOut');
    expect(twilioErrorCodeKinds[21610]).toBe('recipientOptedOut');
  });

  it.each<[number | undefined, number | undefined, ProviderErrorKind]>([
    [undefined, undefined, 'connectionFailed'],
    [429, undefined, 'throttled'],
    [408, undefined, 'connectionFailed'],
    [500, undefined, 'connectionFailed'],
    [502, 99999, 'connectionFailed'],
    [503, undefined, 'connectionFailed'],
    [401, undefined, 'misconfigured'],
    [403, undefined, 'misconfigured'],
    [404, undefined, 'misconfigured'],
    [400, undefined, 'rejected'],
    [400, 99999, 'rejected'],
    [422, undefined, 'rejected'],
  ])('falls back to the HTTP status when the code is not listed: HTTP %s, code %s → %s', (status, code, expected) => {
    // Prepare
    const input = { status, code };

    // Act
    const kind = twilioErrorKind(input.status, input.code);

    // Assess
    expect(kind).toBe(expected);
  });
});
