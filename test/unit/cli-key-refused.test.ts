import { describe, expect, it } from 'vitest';
import { apiErrorFrom, isKeyRefused, type HttpResponse } from '../../cli/http.js';

const response = (status: number, json: unknown): HttpResponse => ({ status, json, text: JSON.stringify(json) });

describe('the CLI recognises a refused API key', () => {
  it.each([
    { case: "crier's own 401", response: response(401, { error: 'the API key is not valid (unknown or revoked)', details: [] }), refused: true },
    { case: "API Gateway's 401 (no key)", response: response(401, { message: 'Unauthorized' }), refused: true },
    { case: "API Gateway's 403 (authorizer refused the key)", response: response(403, { message: 'Forbidden' }), refused: true },
    { case: "crier's 403 (outside the key's department)", response: response(403, { error: 'a viewer key may not create or submit broadcasts', details: [] }), refused: false },
    { case: 'a 404', response: response(404, { error: 'no topic "x"', details: [] }), refused: false },
  ])('$case: refused=$refused', ({ response: answer, refused }) => {
    // Prepare
    const candidate = structuredClone(answer);

    // Act
    const result = isKeyRefused(candidate);

    // Assess
    expect(result).toBe(refused);
  });

  it("says the key was refused rather than echo API Gateway's body", () => {
    // Prepare
    const answer = response(403, { message: 'Forbidden' });

    // Act
    const error = apiErrorFrom(answer);

    // Assess
    expect(error).toMatchObject({ status: 403, message: 'the API key was refused (missing, unknown or revoked)' });
  });

  it("keeps crier's own message for a 403 that is about the department or role", () => {
    // Prepare
    const answer = response(403, { error: 'a viewer key may not create or submit broadcasts', details: [] });

    // Act
    const error = apiErrorFrom(answer);

    // Assess
    expect(error.message).toBe('a viewer key may not create or submit broadcasts');
  });
});
