import type { ErrorCode } from "./codes.js";

export { ERROR_CODES, type ErrorCode, isErrorCode } from "./codes.js";

/** Where in a file something is; line and column count from 1. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export interface BerthErrorOptions {
  hint?: string | undefined;
  location?: Location | undefined;
  cause?: unknown;
}

/**
 * A user error: something the user can fix. It carries a stable `code`, a plain-words message,
 * a hint for what to do next and, where it helps, the place in a file. Rendering happens at the CLI edge.
 */
export class BerthError extends Error {
  override name = "BerthError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: Location | undefined;

  constructor(code: ErrorCode, message: string, options: BerthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }
}

/** Several user errors found in one pass (e.g. every problem of a manifest), reported together. */
export class BerthErrors extends BerthError {
  override name = "BerthErrors";
  readonly errors: readonly BerthError[];

  constructor(errors: readonly BerthError[]) {
    const first = errors[0];
    super(first?.code ?? "BERTH_ERRORS", `${errors.length} problem${errors.length === 1 ? "" : "s"} found`);
    this.errors = [...errors].sort(byLocation);
  }
}

/** Flattens an error (and a `BerthErrors`) into the list of user errors it holds. */
export function userErrorsOf(error: unknown): BerthError[] {
  if (error instanceof BerthErrors) return [...error.errors];
  if (error instanceof BerthError) return [error];
  return [];
}

export function formatLocation(location: Location): string {
  return `${location.file}:${location.line}:${location.col}`;
}

/** File order: by file, line, column; errors without a location keep their order, after the others. */
function byLocation(a: BerthError, b: BerthError): number {
  if (!a.location || !b.location) return (a.location ? 0 : 1) - (b.location ? 0 : 1);
  return (
    a.location.file.localeCompare(b.location.file) ||
    a.location.line - b.location.line ||
    a.location.col - b.location.col
  );
}
