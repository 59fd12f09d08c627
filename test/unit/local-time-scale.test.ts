import { describe, expect, it } from 'vitest';
import { functionDefinition, visibilityTimeoutSeconds } from '../../functions/catalog.js';
import { localTimeoutMs, localVisibilityTimeoutSeconds, queueTimeScaleSchema } from '../../local/time-scale.js';

describe('the local stack’s shorter time on the queue side', () => {
  it('keeps AWS’s times when not asked otherwise', () => {
    // Prepare / Act
    const timeScale = queueTimeScaleSchema.parse(undefined);

    // Assess
    expect(localTimeoutMs('sendBulk', timeScale)).toBe(functionDefinition('sendBulk').timeoutSeconds * 1000);
    expect(localVisibilityTimeoutSeconds('sendBulk', timeScale)).toBe(visibilityTimeoutSeconds('sendBulk'));
  });

  it('scales queue functions’ timeouts and visibility timeouts each by its own factor, and HTTP functions’ not at all', () => {
    // Prepare
    const timeScale = queueTimeScaleSchema.parse({ visibility: 0.01, functionTimeouts: 0.5 });

    // Act / Assess
    expect(localTimeoutMs('sendBulk', timeScale)).toBe(functionDefinition('sendBulk').timeoutSeconds * 500);
    expect(localTimeoutMs('health', timeScale)).toBe(functionDefinition('health').timeoutSeconds * 1000);
    expect(localVisibilityTimeoutSeconds('sendBulk', timeScale)).toBe(Math.ceil(visibilityTimeoutSeconds('sendBulk') / 100));
  });

  it('rounds a visibility timeout up to whole seconds, never below one', () => {
    // Prepare
    const timeScale = queueTimeScaleSchema.parse({ visibility: 0.0001 });

    // Act / Assess
    expect(localVisibilityTimeoutSeconds('fanOut', timeScale)).toBe(1);
  });

  it.each([
    [{ visibility: 0 }, 'queueTimeScale.visibility must be above 0'],
    [{ functionTimeouts: 2 }, 'queueTimeScale.functionTimeouts must be at most 1: it shortens time, never lengthens it'],
  ])('refuses %o, naming the field', (input, message) => {
    // Act / Assess
    expect(() => queueTimeScaleSchema.parse(input)).toThrow(message);
  });
});
