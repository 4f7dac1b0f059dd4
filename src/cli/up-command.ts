import pc from "picocolors";
import { formatDuration } from "../api/format.js";
import type { RuntimeEvent, UpResult } from "../api/types.js";
import { durationFlag } from "./duration-flag.js";
import { type GlobalOptions, onOutputClosed, print, printJson } from "./io.js";
import { EventView, renderFailure, renderReady } from "./view.js";

/** What a reset brought up again on the new data, as `snapshot restore` says it. */
function renderRefreshed({ reran, restarted }: { reran: string[]; restarted: string[] }): string {
  const parts = [
    ...(reran.length > 0 ? [`ran again ${reran.join(", ")}`] : []),
    ...(restarted.length > 0 ? [`restarted ${restarted.join(", ")}`] : []),
  ];
  return `${pc.green("✓")} reset${parts.length > 0 ? `; ${parts.join("; ")}` : ""}`;
}

/** What `runUp` hands the verb it calls: how to report, cancel and (attached) follow. */
export interface Session {
  signal: AbortSignal;
  onEvent: (event: RuntimeEvent) => void;
  follow: boolean;
  lines: boolean;
  timeoutMs?: number;
  onTimeout?: () => void;
}

/**
 * `berth up` and the task commands: calls `start` (one api verb), draws its progress, then (attached) its
 * logs. Ctrl-C, or the timeout, cancels: the supervisor stops what this `up` started. Returns the exit code.
 */
export async function runUp(
  options: GlobalOptions,
  flags: {
    detach: boolean;
    timeout?: string | undefined;
    /** Runs tasks only (migrate, seed, run): no list of ready processes at the end. */
    tasksOnly?: boolean;
  },
  start: (session: Session) => Promise<UpResult>,
): Promise<number> {
  const timeoutMs = flags.timeout === undefined ? undefined : durationFlag("--timeout", flags.timeout);
  const controller = new AbortController();
  const showLines = !flags.detach && !options.json;
  const view = new EventView({ showLines });
  const waits = new Map<string, string>();
  let cancelled: "user" | "timeout" | undefined;
  let attached = false;
  const cancel = (why: "user" | "timeout") => {
    if (cancelled === "user" && why === "user") process.exit(130);
    cancelled = why;
    // The verb cancels by itself on its timeout; Ctrl-C reaches it through the signal.
    if (why === "user") controller.abort(why);
    if (!options.json)
      print(
        pc.yellow(
          attached ? "stopping what this `up` started…" : "cancelling: stopping what this `up` started…",
        ),
      );
  };
  const onSigint = () => cancel("user");
  // A closed terminal stops what this `up` started, as Ctrl-C does; there is nobody left to print to.
  const onHangup = () => {
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
    cancel("user");
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  process.on("SIGHUP", onHangup);
  // Attached, it follows logs nobody would read: ended as a closed terminal ends it. Detached, it finishes.
  const unlistenOutput = flags.detach ? () => {} : onOutputClosed(onHangup);
  const onEvent = (event: RuntimeEvent) => {
    if (event.type === "waiting") waits.set(event.step, event.reason);
    if (event.type === "step" && (event.state === "done" || event.state === "skipped"))
      waits.delete(event.step);
    if (event.type === "up") {
      attached = true;
      if (!options.json)
        print(`${renderReady(event.result)}\n${pc.dim("logs follow; Ctrl-C stops what this `up` started")}`);
      return;
    }
    if (!options.json) view.draw(event);
  };
  try {
    const result = await start({
      signal: controller.signal,
      onEvent,
      follow: !flags.detach,
      lines: showLines,
      ...(timeoutMs === undefined ? {} : { timeoutMs, onTimeout: () => cancel("timeout") }),
    });
    if (options.json) printJson(result);
    if (cancelled === "timeout") {
      const still = [...waits.values()];
      process.stderr.write(
        `${pc.red("error")} not ready after ${formatDuration(timeoutMs ?? 0)}; stopped what this \`up\` started${still.length > 0 ? `\n  still waiting: ${still.join("\n  still waiting: ")}` : ""}\n`,
      );
      return 1;
    }
    if (cancelled === "user") return attached ? 0 : 130;
    if (!result.ok) {
      if (!options.json) process.stderr.write(`${renderFailure(result)}\n`);
      return 1;
    }
    if (flags.detach && !options.json && !flags.tasksOnly) print(renderReady(result));
    if (result.refreshed && !options.json) print(renderRefreshed(result.refreshed));
    return 0;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
    process.off("SIGHUP", onHangup);
  }
}
