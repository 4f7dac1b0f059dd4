import { BerthError } from "../errors/index.js";
import type { RuntimeEvent } from "../logs/index.js";
import { LogWriter, logFile, Masker } from "../logs/index.js";
import type { Command } from "../manifest/index.js";
import { Child } from "../processes/index.js";

export interface TaskRun {
  codebase: string;
  task: string;
  command: Command;
  dir: string;
  env: NodeJS.ProcessEnv;
  logsDir: string;
  timeoutMs?: number;
  emit: (event: RuntimeEvent) => void;
  signal?: AbortSignal;
  onGroup?: { start(pgid: number): void; end(pgid: number): void };
  /** Values hidden in its output before anything stores or shows a line. */
  secrets?: Iterable<string>;
  /** Secrets known only once the task has ended (a claim's outputs): its lines are held back until then. */
  secretsAfter?: () => Iterable<string>;
}

/** Runs a one-shot command to its end; a non-zero exit is an error carrying its last lines. */
export async function runTask(run: TaskRun): Promise<void> {
  const name = `task-${run.task}`;
  const log = new LogWriter(logFile(run.logsDir, name));
  const last: string[] = [];
  const show = (stream: "out" | "err", line: string, t: number) => {
    log.write({ t, s: stream, l: line });
    last.push(line);
    if (last.length > 20) last.shift();
    run.emit({ type: "line", codebase: run.codebase, name, stream, line, t });
  };
  const held: { stream: "out" | "err"; output: string; t: number }[] = [];
  const masker = new Masker(run.secrets ?? []);
  try {
    const child = Child.spawn({
      command: run.command,
      cwd: run.dir,
      env: run.env,
      onLine: (stream, output) => {
        if (run.secretsAfter) held.push({ stream, output, t: Date.now() });
        else show(stream, masker.mask(output), Date.now());
      },
    });
    if (child.pid > 0) run.onGroup?.start(child.pid);
    const abort = () => void child.stop(2000);
    run.signal?.addEventListener("abort", abort, { once: true });
    const timer = run.timeoutMs ? setTimeout(() => void child.stop(2000), run.timeoutMs) : undefined;
    const exit = await child.exited;
    clearTimeout(timer);
    run.signal?.removeEventListener("abort", abort);
    if (child.pid > 0) run.onGroup?.end(child.pid);
    if (run.secretsAfter) {
      const late = new Masker([...(run.secrets ?? []), ...run.secretsAfter()]);
      for (const { stream, output, t } of held) show(stream, late.mask(output), t);
    }
    if (exit.code === 0) return;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    log.write({ t: Date.now(), s: "berth", l: `task ${run.task} ${how}` });
    throw new BerthError(
      "BERTH_TASK_FAILED",
      `${run.codebase}'s ${run.task} task ${how}${formatLast(last)}`,
      {
        hint: `fix it, then run it again with \`berth run ${run.codebase} ${run.task}\` (its log: berth logs ${run.codebase}/${name})`,
      },
    );
  } finally {
    log.close();
  }
}

function formatLast(lines: string[]): string {
  if (lines.length === 0) return " (it printed nothing)";
  return `; its last lines:\n${lines
    .slice(-10)
    .map((line) => `│ ${line}`)
    .join("\n")}`;
}
