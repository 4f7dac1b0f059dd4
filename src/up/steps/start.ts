import { processSpec } from "../../environment/index.js";
import type { StartStep } from "../../graph/index.js";
import { assertPortFree } from "../../processes/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/**
 * Starts a process, unless the same one (same spec hash) already runs and need not restart (see
 * `mustRestart`); a changed one is replaced.
 */
export async function runStart(run: UpRun, step: StartStep): Promise<StepOutcome> {
  const codebase = run.codebase(step.codebase);
  const name = step.process;
  const port = run.ports.get(`${codebase.name}/${name}`);
  const spec = processSpec(run.workspace, run.environment, codebase.name, name, port);
  const { registry } = run.context;
  const existing = registry.get(codebase.dir, name);
  const alive = existing && ["starting", "ready", "backoff"].includes(existing.state);
  if (existing && alive && existing.spec.hash === spec.hash && !run.mustRestart(codebase.name, name)) {
    existing.owners.add(run.workspace.root.dir);
    return "skipped";
  }
  if (existing) await existing.stop();
  if (existing) run.restarted.add(codebase.name);
  if (port !== undefined) await assertPortFree(port, `${codebase.name}/${name}`);
  run.prepare(codebase);
  const serverDirs = [...run.claims.entries()]
    .filter(([key]) => key.startsWith(`${codebase.name}#`))
    .map(([, { server }]) => server.dataDir);
  const process = registry.add({ ...spec, requires: [...spec.requires, ...serverDirs] });
  process.owners.add(run.workspace.root.dir);
  process.start();
  run.started.push(process);
  return "done";
}
