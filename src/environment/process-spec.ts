import { createHash } from "node:crypto";
import { durationMs } from "../manifest/index.js";
import type { ProcessSpec } from "../processes/index.js";
import type { Workspace } from "../workspace/index.js";
import type { Environment } from "./environment.js";

/** The full description of a process to run, from its manifest, rendered with the workspace's values. */
export function processSpec(
  workspace: Workspace,
  environment: Environment,
  codebaseName: string,
  processName: string,
  port: number | undefined,
): ProcessSpec {
  const codebase = workspace.codebases.get(codebaseName);
  const process = codebase?.loaded.manifest.processes?.[processName];
  if (!codebase || !process) throw new Error(`bug: no process ${codebaseName}/${processName}`);
  const env = environment.env(codebaseName);
  const decided = environment.decidedEnv(codebaseName, "values");
  // foreman's and Heroku's habit: a process is told its port, unless the manifest says otherwise.
  if (port !== undefined && !("PORT" in decided)) env.PORT = String(port);
  // Where a process should listen, for the servers that read it; the manifest's own HOST wins.
  if (!("HOST" in decided)) env.HOST = "127.0.0.1";
  const command = environment.command(codebaseName, ["processes", processName, "run"], process.run);
  const probe =
    process.ready?.exec !== undefined
      ? {
          ...process.ready,
          exec: environment.command(
            codebaseName,
            ["processes", processName, "ready", "exec"],
            process.ready.exec,
          ),
        }
      : process.ready;
  const manifestEnv = Object.fromEntries(
    Object.keys(decided)
      .sort()
      .map((key) => [key, decided[key]]),
  );
  const requires = workspace.dependencies.flatMap((entry) => {
    if (entry.from !== codebaseName || entry.target.kind !== "codebase") return [];
    const target = workspace.codebases.get(entry.target.name);
    return target ? [target.dir] : [];
  });
  const spec = {
    codebase: codebaseName,
    process: processName,
    dir: codebase.dir,
    command,
    env,
    port,
    probe,
    restart: process.restart ?? "on-failure",
    stopTimeoutMs: durationMs(process.stop_timeout, 10_000),
    probeIntervalMs: durationMs(probe?.interval, 250),
    probeTimeoutMs: durationMs(probe?.timeout, 60_000),
    startPeriodMs: durationMs(probe?.start_period, 0),
    requires,
  };
  // The user's shell environment changes between terminals; only what the manifest decides counts, and
  // the toolchain it asks for (a Node installed since, a .nvmrc changed), where it asks for one.
  const toolchain = environment.toolchainKey(codebaseName);
  const hash = createHash("sha256")
    .update(JSON.stringify({ ...spec, env: manifestEnv, ...(toolchain ? { toolchain } : {}) }))
    .digest("hex");
  return { ...spec, hash, secrets: [...environment.secrets(codebaseName)] };
}
