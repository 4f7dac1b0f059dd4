import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTime } from "../processes/index.js";

/**
 * One supervisor per state folder: the one that creates `supervisor.lock` (exclusively) starts; another
 * waits until the socket answers (then it has nothing to do) or the holder is gone (a lock left by a
 * killed supervisor names a pid that is gone, or that is another process now).
 */
export async function takeSupervisorLock(
  home: string,
  served: () => Promise<boolean>,
  timeoutMs = 25_000,
): Promise<"taken" | "served"> {
  const file = join(home, "supervisor.lock");
  const mine = `${process.pid} ${startTime(process.pid) ?? 0}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(file, `${mine}\n`, { flag: "wx", mode: 0o600 });
      process.on("exit", () => {
        if (holder(file) === mine) rmSync(file, { force: true });
      });
      return "taken";
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const current = holder(file);
    if (current !== undefined && !living(current)) {
      rmSync(file, { force: true });
      continue;
    }
    if (await served()) return "served";
    if (Date.now() > deadline)
      throw new Error(`another supervisor (${current}) holds ${file} and does not serve`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function holder(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

function living(lock: string): boolean {
  const [pid, started] = lock.split(" ").map(Number);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return startTime(pid) === started;
}
