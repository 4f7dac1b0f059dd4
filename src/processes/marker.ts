import { randomBytes } from "node:crypto";

/**
 * Set in the environment of every supervised process, and so inherited by every descendant, even one that
 * left the process group (`setsid cmd &`, a double fork): what it carries tells whose it is.
 */
export const INSTANCE_VAR = "BERTH_INSTANCE";

/** Starts every instance marker of this supervisor: the guardian finds them all by it if the supervisor dies. */
export const SUPERVISOR_MARK = randomBytes(6).toString("hex");

/** A new instance marker of this supervisor. */
export function newInstance(): string {
  return `${SUPERVISOR_MARK}-${randomBytes(9).toString("hex")}`;
}
