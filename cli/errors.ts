import { CrierError } from '../shared/domain/errors.js';

/** One problem with one named field, as the API reports it in `details[]`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Errors the CLI reports to the user. Each carries its exit code, so `main` maps them by class:
 * 2 for a command the user has to change (usage, configuration), 1 for a failure of the call.
 */
export abstract class CliError extends CrierError {
  abstract readonly exitCode: 1 | 2;
  readonly details: FieldProblem[];

  constructor(message: string, details: FieldProblem[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.details = details;
  }
}

/** The command line itself is wrong: a missing or malformed argument. */
export class UsageError extends CliError {
  readonly exitCode = 2;
  constructor(message: string, details: FieldProblem[] = []) {
    super(message, details);
    this.name = 'UsageError';
  }
}

/** The URL, key or config file is unusable. */
export class ConfigError extends CliError {
  readonly exitCode = 2;
  constructor(message: string, details: FieldProblem[] = [], options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'ConfigError';
  }
}

/** crier answered, with an error. */
export class ApiError extends CliError {
  readonly exitCode = 1;
  readonly status: number;
  constructor(status: number, message: string, details: FieldProblem[] = []) {
    super(message, details);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** crier did not answer at all (not running, wrong URL, network down, too slow). */
export class UnreachableError extends CliError {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, [], options);
    this.name = 'UnreachableError';
  }
}

/** crier answered something the CLI cannot read: most likely a different version of the API. */
export class UnexpectedResponseError extends CliError {
  readonly exitCode = 1;
  constructor(message: string, details: FieldProblem[] = []) {
    super(message, details);
    this.name = 'UnexpectedResponseError';
  }
}
