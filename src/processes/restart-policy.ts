import { formatDuration } from "../manifest/index.js";
import { CRASH_LOOP, type FailureWindow, restartDelayMs } from "./backoff.js";
import type { Exit } from "./child.js";

export type AfterExit =
  | { action: "stay"; state: "crashed" | "exited"; detail: string }
  | { action: "crash-loop"; detail: string }
  | { action: "restart"; delayMs: number; detail: string };

/** What the `restart` policy does after an exit; a failure is recorded in `failures` first. */
export function afterExit(
  name: string,
  restart: "no" | "on-failure" | "always",
  exit: Exit,
  failures: FailureWindow,
): AfterExit {
  const how = exitWords(exit);
  const failed = exit.code !== 0;
  if (failed) failures.record();
  if (!(restart === "always" || (restart === "on-failure" && failed)))
    return { action: "stay", state: failed ? "crashed" : "exited", detail: how };
  if (failures.isLoop)
    return {
      action: "crash-loop",
      detail: `${name} crashed ${failures.recent} times in ${CRASH_LOOP.windowMs / 1000} s; not restarting it`,
    };
  const delayMs = restartDelayMs(Math.max(1, failures.recent));
  return { action: "restart", delayMs, detail: `${how}; restarting in ${formatDuration(delayMs)}` };
}

export function exitWords(exit: Exit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
