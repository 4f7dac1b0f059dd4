import { formatLocation, userErrorsOf } from "../errors/index.js";
import type { RuntimeEvent } from "../logs/index.js";
import { formatDuration } from "../manifest/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import { type UpContext, up } from "../up/index.js";
import { TrustStore, type Workspace } from "../workspace/index.js";
import type { LoopGuard } from "./loop-guard.js";
import { announce, changedWords } from "./report.js";

/** What changed in one codebase's folder, by interest: `manifest`, `task:<name>`, `process:<name>`. */
export type Changes = Map<string, string[]>;

/** What applying changes needs of the follower that saw them. */
export interface ReloadRun {
  root: string;
  codebase: string;
  dir: string;
  changes: Changes;
  /** When the first of the changes was seen. */
  changedAt: number;
  /** The follower's `up` parameters: the codebases it brought up, the caller's env. */
  codebases: string[];
  env: NodeJS.ProcessEnv;
  /** Whether `--trust` of the `up` covers the workspace's manifests as they now are. */
  trustAll: (workspace: Workspace) => boolean;
  context: Omit<UpContext, "emit" | "signal">;
  signal: AbortSignal;
  guard: LoopGuard;
  /** Stops watching a process that rewrites its own watched files. */
  pause: (process: string, message: string) => void;
  /** A restarted process's changes seen before its new start are part of this reload, not the next. */
  absorb: (process: string) => void;
  /** The manifest's changes wait for `berth trust`, which applies them. */
  awaitTrust: (files: string[]) => void;
}

/**
 * Applies a codebase's changes while its workspace runs. Only watched files of processes changed: those
 * restart, nothing else is planned (their `cascade` consumers follow, see `Follower`). A task's inputs or the manifest changed: an `up` re-plans the workspace
 * and applies the difference (tasks whose inputs changed run, then the codebase's processes restart; what
 * a consumer receives changed: it restarts after its dependency is ready; `cascade` consumers restart).
 */
export async function applyChanges(run: ReloadRun): Promise<void> {
  const { changes } = run;
  const processFiles = new Map(
    [...changes].flatMap(([id, files]) => (id.startsWith("process:") ? [[id.slice(8), files]] : [])),
  );
  const planned = [...changes.keys()].some((id) => id === "manifest" || id.startsWith("task:"));
  let workspace: Workspace;
  try {
    workspace = await run.context.resolve(run.root);
  } catch (error) {
    sayInvalid(run, error);
    return restartWatched(run, processFiles);
  }
  if (changes.has("manifest") && !trusted(run, workspace)) {
    say(
      run,
      "untrusted",
      changes.get("manifest") ?? [],
      [],
      [
        `not applied: ${run.codebase}'s manifest is not trusted as it now is; read it, then \`berth trust\` applies it`,
      ],
    );
    run.awaitTrust(changes.get("manifest") ?? []);
    return restartWatched(run, processFiles);
  }
  if (!planned) return restartWatched(run, processFiles);
  await replan(run, workspace, processFiles);
}

/** Restarts each process whose watched files changed, the same process with the same spec. */
async function restartWatched(run: ReloadRun, processFiles: Map<string, string[]>): Promise<void> {
  const { registry } = run.context;
  await Promise.all(
    [...processFiles].map(async ([name, files]) => {
      const process = registry.get(run.dir, name);
      if (!process) return;
      const changedRun = runOf(process);
      const began = performance.now();
      await process.stop();
      run.absorb(name);
      process.start();
      let outcome: string;
      try {
        await process.whenReady(run.signal);
        outcome = `restarted, ready ${formatDuration(performance.now() - began)}`;
      } catch (error) {
        outcome = `restarted, then ${error instanceof Error ? error.message : String(error)}`;
      }
      announce(
        registry,
        {
          codebase: run.codebase,
          process: name,
          files,
          outcome: process.state === "ready" ? "restarted" : "failed",
          message: `${process.name}  ${changedWords(files)} → ${outcome}`,
        },
        [process],
      );
      guard(run, process, files, changedRun);
    }),
  );
}

/** An `up` of the followed codebases that restarts what the changes ask for, then what follows from it. */
async function replan(
  run: ReloadRun,
  workspace: Workspace,
  processFiles: Map<string, string[]>,
): Promise<void> {
  const { registry } = run.context;
  const ran: string[] = [];
  const stopped: string[] = [];
  const emit = (event: RuntimeEvent) => {
    if (event.type === "step" && event.state === "done" && /^(install|migrate|seed|task):/.test(event.step))
      ran.push(event.step.replace(/^task:/, ""));
    if (event.type === "stopped") stopped.push(`${event.process} stopped (${event.reason})`);
    // A task's output is shown where the processes' is; the steps themselves are not.
    if (event.type === "line") registry.broadcast(event, someProcessOf(registry, run.dir));
  };
  const before = new Map(registry.all().map((process) => [process, runOf(process)]));
  const began = performance.now();
  const tasksChanged = [...run.changes.keys()].some((id) => id.startsWith("task:"));
  const result = await up(
    { ...run.context, emit, signal: run.signal },
    {
      root: run.root,
      codebases: run.codebases,
      env: run.env,
      trustAll: run.trustAll(workspace),
      reload: {
        restart: [...processFiles.keys()].map((name) => `${run.codebase}/${name}`),
        afterTasks: tasksChanged ? [run.codebase] : [],
      },
    },
  );
  const files = [...new Set([...run.changes.values()].flat())].sort();
  const started = result.started;
  if (!result.ok) {
    const failure = result.failed;
    const still = codebaseProcesses(registry, run.dir).filter((process) => process.running);
    say(
      run,
      "failed",
      files,
      [],
      [
        `${failure?.step ?? "a step"} failed: ${(failure?.message ?? "unknown").replace(/\s*\n\s*/g, " ")}`,
        still.length > 0
          ? `${still.map((process) => process.name).join(", ")} ${still.length === 1 ? "runs" : "run"} the code as before`
          : "",
        "the next change tries again",
      ],
    );
    return;
  }
  const ms = formatDuration(performance.now() - began);
  const parts = [
    ...ran.map((task) => `${task.replace(/:.*$/, "")} ran`),
    ...started.map((name) => `${name} ${isNew(name, before) ? "started" : "restarted"}`),
    ...stopped,
  ];
  const restarted = registry.all().filter((process) => started.includes(process.name));
  say(run, parts.length > 0 ? "applied" : "unchanged", files, restarted, [
    parts.length > 0 ? `${parts.join(", ")}${started.length > 0 ? `, ready ${ms}` : ""}` : "nothing to do",
  ]);
  for (const [name, changed] of processFiles) {
    const process = registry.get(run.dir, name);
    if (process) guard(run, process, changed, before.get(process) ?? runOf(undefined));
  }
}

/** Says what a reload of the codebase did, to its processes and to `also` (consumers it restarted). */
function say(
  run: ReloadRun,
  outcome: "applied" | "unchanged" | "failed" | "untrusted" | "invalid",
  files: string[],
  also: readonly SupervisedProcess[],
  parts: string[],
) {
  const { registry } = run.context;
  announce(
    registry,
    {
      codebase: run.codebase,
      files,
      outcome,
      message: `${run.codebase}  ${changedWords(files)} → ${parts.filter(Boolean).join("; ")}`,
    },
    [...new Set([...codebaseProcesses(registry, run.dir), ...also])],
  );
}

function sayInvalid(run: ReloadRun, error: unknown): void {
  const problems = userErrorsOf(error);
  const [first] = problems;
  if (!first) throw error;
  const where = first.location ? `${formatLocation(first.location)}: ` : "";
  say(
    run,
    "invalid",
    run.changes.get("manifest") ?? [...new Set([...run.changes.values()].flat())],
    [],
    [
      `not applied: ${where}${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problems; \`berth validate\` lists them)` : ""}`,
      "what runs goes on as before",
    ],
  );
}

function trusted(run: ReloadRun, workspace: Workspace): boolean {
  if (run.trustAll(workspace)) return true;
  const store = new TrustStore(run.context.registry.home);
  return [...workspace.codebases.values()].every(({ loaded }) => store.isTrusted(loaded.file, loaded.hash));
}

/** A process restarted for changes it made itself, again and again: its watching pauses. */
function guard(run: ReloadRun, process: SupervisedProcess, files: string[], changedRun: ChangedRun) {
  if (!run.guard.record(process.name, run.changedAt, changedRun)) return;
  const message = `${process.name}  watching paused: it restarted ${run.guard.limit} times for changes made soon after it started, by itself it seems (${changedWords(files).replace(/ changed$/, "")}); fix what it writes or add it to watch_ignore, then \`berth restart ${process.name}\` watches it again`;
  run.pause(process.name, message);
  announce(
    run.context.registry,
    { codebase: run.codebase, process: process.spec.process, files, outcome: "paused", message },
    [process],
  );
}

function codebaseProcesses(registry: Registry, dir: string): SupervisedProcess[] {
  return registry.all().filter((process) => process.spec.dir === dir);
}

function someProcessOf(registry: Registry, dir: string): SupervisedProcess | undefined {
  return codebaseProcesses(registry, dir)[0];
}

/** The run of a process that made changes: when it started and became ready. */
type ChangedRun = { startedAt: number | undefined; readyAt: number | undefined };

function runOf(process: SupervisedProcess | undefined): ChangedRun {
  return { startedAt: process?.startedAt, readyAt: process?.readyAt };
}

function isNew(name: string, before: Map<SupervisedProcess, ChangedRun>): boolean {
  return ![...before.keys()].some((process) => process.name === name);
}
