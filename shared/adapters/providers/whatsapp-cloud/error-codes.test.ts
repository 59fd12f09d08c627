import { describe, expect, it } from 'vitest';
import type { ProviderErrorKind } from '../../../domain/errors.js';
import { whatsappCloudErrorCodeKinds, whatsappCloudErrorKind } from './error-codes.js';

describe('whatsappCloudErrorKind', () => {
  it('prefers the Meta code to the HTTP status', () => {
    // Prepare
    const status = 400;

    // Act
    const kind = whatsappCloudErrorKind(status, 131047);

    // Assess
    expect(kind).toBe('windowClosed');
    expect(whatsappCloudErrorCodeKinds[131047]).toBe('windowClosed');
  });

  it('prefers a listed code/subcode pair to the code alone', () => {
    // Prepare
    const code = 100;

    // Act
    const withSubcode = whatsappCloudErrorKind(400, code, 33);
    const withOtherSubcode = whatsappCloudErrorKind(400, code, 2494010);

    // Assess
    expect(withSubcode).toBe('misconfigured');
    expect(withOtherSubcode).toBe('rejected');
  });

  it.each([201, 250, 299])('reads any permission code in 200–299 (%i) as misconfigured', (code) => {
    // Prepare
    const status = 403;

    // Act
    const kind = whatsappCloudErrorKind(status, code);

    // Assess
    expect(kind).toBe('misconfigured');
  });

  it.each<[number, number | undefined, ProviderErrorKind]>([
    [429, undefined, 'throttled'],
    [408, undefined, 'connectionFailed'],
    [500, undefined, 'connectionFailed'],
    [502, 139999, 'connectionFailed'],
    [503, undefined, 'connectionFailed'],
    [401, undefined, 'misconfigured'],
    [403, undefined, 'misconfigured'],
    [404, undefined, 'misconfigured'],
    [400, undefined, 'rejected'],
    [400, 139999, 'rejected'],
    [422, undefined, 'rejected'],
  ])('falls back to the HTTP status when the code is not listed: HTTP %s, code %s → %s', (status, code, expected) => {
    // Prepare
    const input = { status, code };

    // Act
    const kind = whatsappCloudErrorKind(input.status, input.code);

    // Assess
    expect(kind).toBe(expected);
  });
});
