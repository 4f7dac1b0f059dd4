import type { ErrorCode, Location } from "../errors/index.js";
import type { RuntimeEvent } from "../logs/index.js";

export interface ErrorData {
  code: ErrorCode;
  message: string;
  hint?: string;
  location?: Location;
  bug?: boolean;
  /** All of them, when several problems were found at once. */
  errors?: ErrorData[];
}

export type Request = { id: number; method: string; params: Record<string, unknown> };

export type Response =
  | { id: number; event: RuntimeEvent }
  | { id: number; result: unknown }
  | { id: number; error: ErrorData };
