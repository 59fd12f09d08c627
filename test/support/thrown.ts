import { ValidationError } from '../../shared/domain/errors.js';

/** What `action` throws; fails the test if it throws nothing. For checking an error's class and fields, not only its message. */
export function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

/** The ValidationError `action` throws, to read the fields it names; fails the test on any other outcome. */
export function validationError(action: () => unknown): ValidationError {
  const error = captureError(action);
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}
