import type { DashboardAddress } from "../supervisor/index.js";
import type { HomeOptions } from "./support/options.js";
import { callSupervisor } from "./support/supervisor-call.js";

export type { DashboardAddress } from "../supervisor/index.js";

/**
 * `berth dashboard`: the address of the state folder's dashboard (with its token), served by the supervisor
 * (started if needed), which starts the dashboard's server on first asking.
 */
export function dashboard(options: HomeOptions = {}): Promise<DashboardAddress> {
  return callSupervisor(
    options,
    "dashboard",
    {},
    { start: true, ...(options.signal ? { signal: options.signal } : {}) },
  );
}

/** Opens `url` in the desktop's browser; false when this system has no opener (xdg-open, open). */
export async function openInBrowser(url: string): Promise<boolean> {
  const { spawn } = await import("node:child_process");
  const opener = process.platform === "darwin" ? "open" : "xdg-open";
  return new Promise((resolve) => {
    const child = spawn(opener, [url], { stdio: "ignore", detached: true });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
