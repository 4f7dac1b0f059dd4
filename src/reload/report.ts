import type { Reload } from "../logs/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";

/** `src/app.ts changed`, `a.ts, b.ts and 3 more changed`. */
export function changedWords(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(", ");
  const more = files.length - 3;
  return `${shown}${more > 0 ? ` and ${more} more` : ""} changed`;
}

/**
 * Says a reload: remembered by each process it concerns (for `status`), written in their logs, and told
 * to whoever watches the workspace (an attached `up`).
 */
export function announce(
  registry: Registry,
  reload: Omit<Reload, "t">,
  processes: readonly SupervisedProcess[],
): void {
  const event = { type: "reload" as const, ...reload, t: Date.now() };
  for (const process of processes) {
    process.lastReload = event;
    process.note(`↻ ${event.message}`);
  }
  registry.broadcast(event, processes[0]);
}
