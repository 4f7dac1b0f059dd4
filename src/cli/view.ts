import pc from "picocolors";
import { formatDuration } from "../api/format.js";
import { exposureWarning } from "../api/status.js";
import type { RuntimeEvent, UpResult } from "../api/types.js";

const COLOURS = [pc.cyan, pc.magenta, pc.yellow, pc.blue, pc.green, pc.red];

/** Draws runtime events as lines: progress, explained waits, and prefixed, coloured process output. */
export class EventView {
  readonly #showLines: boolean;
  readonly #colours = new Map<string, (text: string) => string>();
  readonly #width: number;
  readonly #lastWait = new Map<string, { shape: string; at: number }>();

  constructor(options: { showLines: boolean; prefixWidth?: number }) {
    this.#showLines = options.showLines;
    this.#width = options.prefixWidth ?? 18;
  }

  draw(event: RuntimeEvent): void {
    const line = this.render(event);
    if (line !== undefined) process.stdout.write(`${line}\n`);
  }

  render(event: RuntimeEvent): string | undefined {
    switch (event.type) {
      case "line": {
        if (!this.#showLines) return undefined;
        const name = `${event.codebase}/${event.name}`;
        const prefix = this.#colour(event.codebase)(name.padEnd(this.#width));
        return `${prefix} │ ${event.stream === "err" ? pc.red(event.line) : event.line}`;
      }
      case "step": {
        const took = event.ms !== undefined && event.ms >= 1 ? pc.dim(` ${formatDuration(event.ms)}`) : "";
        const [kind, target] = splitStep(event.step);
        if (event.state === "failed") return `${pc.red("✗")} ${event.step}: ${event.detail ?? "failed"}`;
        if (event.state === "blocked")
          return `${pc.dim("·")} ${event.step} ${pc.dim("not run: what it waits for failed")}`;
        if (event.state === "skipped" && kind === "ready") return undefined;
        if (event.state === "skipped")
          return kind === "start"
            ? `${pc.dim("·")} ${target} ${pc.dim("already running")}`
            : `${pc.dim("·")} ${event.step} ${pc.dim("cached")}`;
        if (event.state === "done") {
          if (kind === "ready") return `${pc.green("✓")} ${target} ready${took}`;
          if (kind === "start") return undefined;
          return `${pc.green("✓")} ${event.step}${took}`;
        }
        return undefined;
      }
      case "waiting": {
        // Once per change of what it waits for, and then every few seconds: the counters alone change often.
        const shape = event.reason.replace(/\d+(\.\d+)? ?(tries|try|ms|s)\b/g, "");
        const last = this.#lastWait.get(event.step);
        if (last && last.shape === shape && Date.now() - last.at < 3000) return undefined;
        this.#lastWait.set(event.step, { shape, at: Date.now() });
        return `${pc.yellow("…")} ${event.reason}`;
      }
      case "process":
        if (
          event.state === "backoff" ||
          event.state === "crashed" ||
          event.state === "failed" ||
          event.state === "exited"
        ) {
          return `${pc.yellow("!")} ${event.codebase}/${event.process} ${event.state}${event.detail ? `: ${event.detail}` : ""}`;
        }
        return undefined;
      case "stopped":
        return `${pc.dim("·")} stopped ${event.process} ${pc.dim(`(${event.reason})`)}`;
      case "exposed":
        return `${pc.yellow("!")} ${event.codebase}/${event.process} ${exposureWarning(event.addresses)}`;
      case "cancelled":
        return `${pc.yellow("…")} cancelling ${event.what.join(", ")}`;
      case "lock":
        return `${pc.yellow("…")} waiting for ${event.holder} to finish`;
      case "up":
        return undefined;
      case "reload": {
        const mark =
          event.outcome === "restarted" || event.outcome === "applied" || event.outcome === "unchanged";
        return `${mark ? pc.cyan("↻") : pc.yellow("↻")} ${mark ? event.message : pc.yellow(event.message)}`;
      }
    }
  }

  #colour(codebase: string): (text: string) => string {
    let colour = this.#colours.get(codebase);
    if (!colour) {
      colour = COLOURS[this.#colours.size % COLOURS.length] ?? pc.cyan;
      this.#colours.set(codebase, colour);
    }
    return colour;
  }
}

function splitStep(step: string): [string, string] {
  const at = step.indexOf(":");
  return [step.slice(0, at), step.slice(at + 1)];
}

export function renderReady(result: UpResult): string {
  const lines = result.ready.map(
    (entry) => `  ${entry.codebase}/${entry.process}${entry.port ? `  http://127.0.0.1:${entry.port}` : ""}`,
  );
  return [`${pc.green("✓")} ready:`, ...lines].join("\n");
}

export function renderFailure(result: UpResult): string {
  const failed = result.failed;
  if (!failed) return "";
  const lines = [`${pc.red("error")} ${failed.step} failed: ${failed.message}`];
  if (failed.lines.length > 0)
    lines.push(`  ${pc.dim("last lines of its output:")}`, ...failed.lines.map((line) => `  │ ${line}`));
  if (failed.hint) lines.push(`  ${pc.cyan("hint:")} ${failed.hint}`);
  return lines.join("\n");
}
