import { BerthError, BerthErrors, userErrorsOf } from "../errors/index.js";
import type { ErrorData } from "./protocol.js";

/** An error as it crosses the socket: a user's error keeps its code, hint and location; any other is a bug. */
export function errorData(error: unknown): ErrorData {
  if (error instanceof BerthError) {
    const all = userErrorsOf(error);
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.location ? { location: error.location } : {}),
      ...(all.length > 1 || all[0] !== error ? { errors: all.map(errorData) } : {}),
    };
  }
  return {
    code: "BERTH_BUG",
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    bug: true,
  };
}

/** The inverse of `errorData`, on the client's side. */
export function toError(data: ErrorData): Error {
  if (data.bug) return new Error(data.message);
  const one = (item: ErrorData) =>
    new BerthError(item.code, item.message, { hint: item.hint, location: item.location });
  return data.errors && data.errors.length > 0 ? new BerthErrors(data.errors.map(one)) : one(data);
}
