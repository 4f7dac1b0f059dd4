import { readFileSync } from "node:fs";

/** Something the watcher could not do, said so a user can act: e.g. the OS limit on watched folders. */
export interface WatchProblem {
  message: string;
  hint?: string;
}

/** Linux inotify ran out of watches (ENOSPC) or the process ran out of file descriptors (EMFILE). */
export function isWatchLimit(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EMFILE";
}

export function watchLimitProblem(dir: string, error: unknown): WatchProblem {
  if ((error as { code?: unknown }).code === "EMFILE") {
    return {
      message: `The OS limit on open files was reached while watching ${dir}; changes in the folders not yet watched go unseen.`,
      hint: "Raise the open-file limit of the shell that starts Berth (`ulimit -n 65536`), then `berth down --all` and `berth up`.",
    };
  }
  const limit = currentLimit();
  const raise = `sudo sysctl ${limit.name}=524288`;
  return {
    message:
      `The OS limit on watched folders was reached while watching ${dir} (${limit.name} = ${limit.value}); ` +
      "changes in the folders not yet watched go unseen, what is already watched keeps working.",
    hint:
      `Raise it: \`${raise}\`; to keep it after a reboot: ` +
      `\`echo ${limit.name}=524288 | sudo tee /etc/sysctl.d/60-inotify-watches.conf\`. ` +
      "Then `berth down --all` and `berth up` to watch everything.",
  };
}

/**
 * The limit in force: `fs.inotify.max_user_watches`, or the user namespace's `user.max_inotify_watches` when
 * lower (Linux >= 5.11 counts watches per user namespace; in a container that one binds).
 */
function currentLimit(): { name: string; value: string } {
  const system = readNumber("/proc/sys/fs/inotify/max_user_watches");
  const namespace = readNumber("/proc/sys/user/max_inotify_watches");
  if (namespace !== undefined && (system === undefined || namespace < system)) {
    return { name: "user.max_inotify_watches", value: String(namespace) };
  }
  return { name: "fs.inotify.max_user_watches", value: system === undefined ? "unknown" : String(system) };
}

function readNumber(file: string): number | undefined {
  try {
    const value = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isNaN(value) ? undefined : value;
  } catch {
    return undefined;
  }
}
