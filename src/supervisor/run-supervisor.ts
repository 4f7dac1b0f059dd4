import { chmodSync, existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stopLeftoverGroups } from "../processes/index.js";
import { ensurePrivateDir } from "../state/index.js";
import { Supervisor } from "./daemon.js";
import type { StartDashboard } from "./dashboard-host.js";
import { takeSupervisorLock } from "./lock.js";
import { retireOlderSupervisors } from "./older-supervisors.js";
import { socketAnswers, socketPath } from "./socket.js";

/**
 * Serves the state folder `home` until told to stop (the supervisor process's body; its entry is src/daemon.ts).
 * Exits at once when another supervisor serves it.
 */
export async function runSupervisor(home: string, hooks: { startDashboard?: StartDashboard }): Promise<void> {
  process.umask(0o077);
  ensurePrivateDir(home);
  const path = socketPath(home);

  // Someone serves this folder already, or is about to: nothing to do. Else, holding the lock, a supervisor left
  // without its socket (its state folder was removed) stops first, and what a killed supervisor left running is
  // stopped, before anything starts.
  if (await socketAnswers(path)) return process.exit(0);
  if ((await takeSupervisorLock(home, () => socketAnswers(path))) === "served") return process.exit(0);
  await retireOlderSupervisors(home);
  await stopLeftoverGroups(home);

  const supervisor = new Supervisor(home, hooks);
  try {
    await supervisor.listen(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    if (await socketAnswers(path)) return process.exit(0); // another supervisor won the race; it serves this folder
    unlinkSync(path); // left by a supervisor that died
    await supervisor.listen(path);
  }
  chmodSync(path, 0o600);
  const pidFile = join(home, "supervisor.pid");
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  // Left only by a supervisor that was killed: `doctor` names it then.
  process.on("exit", () => {
    try {
      if (readFileSync(pidFile, "utf8").trim() === String(process.pid)) rmSync(pidFile, { force: true });
    } catch {
      // removed with the state folder
    }
  });
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const)
    process.on(signal, () => void supervisor.close());
  // Removed with its state folder, the socket can no longer be reached: stop what runs rather than run unseen.
  setInterval(() => {
    if (!existsSync(path)) void supervisor.close();
  }, 1000).unref();
}
