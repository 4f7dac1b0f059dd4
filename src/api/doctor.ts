import { existsSync, statfsSync, statSync } from "node:fs";
import { manifestPath } from "../manifest/index.js";
import { portHolder, portTaken } from "../processes/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../providers/index.js";
import { socketAnswers, socketPath } from "../supervisor/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { dataChecks } from "./support/doctor-data.js";
import { toolchainChecks } from "./support/doctor-toolchains.js";
import { workspaceExternals } from "./support/externals.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";
import { askRunningSupervisor } from "./support/running-supervisor.js";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about a problem. */
  fix?: string;
  /** A problem that does not fail `doctor`: a server only some codebases need, data a removed state folder left. */
  optional?: boolean;
}

/** `berth doctor`: the host's fitness for Berth, each problem with its fix. */
export async function doctor(options: WorkspaceOptions): Promise<Check[]> {
  const home = homeOf(options);
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const nodeOk = major > 20 || (major === 20 && minor >= 12);
  checks.push({
    name: "node",
    ok: nodeOk,
    detail: process.version,
    ...(nodeOk ? {} : { fix: "install Node.js 20.12 or newer" }),
  });

  for (const provider of Object.values(PROVIDER_IMPLEMENTATIONS)) {
    const found = provider.find();
    checks.push(
      found.length > 0
        ? {
            name: provider.kind,
            ok: true,
            detail: found
              .map((installation) => `${installation.version} (${installation.source}, ${installation.bin})`)
              .join("; "),
          }
        : {
            name: provider.kind,
            ok: false,
            detail: "no server installed (needed only by codebases that require it)",
            optional: true,
            fix: `apt-get install ${provider.packages.debian}, or brew install ${provider.packages.homebrew}`,
          },
    );
  }

  if (existsSync(home)) {
    const stat = statSync(home);
    const mine = stat.uid === process.getuid?.();
    const mode = stat.mode & 0o777;
    const ok = mine && (mode & 0o077) === 0;
    checks.push({
      name: "state folder",
      ok,
      detail: `${home} (mode ${mode.toString(8)}${mine ? "" : ", owned by another user"})`,
      ...(ok ? {} : { fix: `chmod 700 ${home}` }),
    });
    const free = statfsSync(home);
    const freeGiB = (free.bavail * free.bsize) / 1024 ** 3;
    checks.push({
      name: "disk",
      ok: freeGiB >= 1,
      detail: `${freeGiB.toFixed(1)} GiB free`,
      ...(freeGiB >= 1 ? {} : { fix: "free some disk space: databases and snapshots need room" }),
    });
  } else {
    checks.push({ name: "state folder", ok: true, detail: `${home} (created on first use)` });
  }

  checks.push(...(await portChecks(options.root, home)));
  checks.push(...(await toolchainChecks(options.root, home, process.env)));
  for (const external of await workspaceExternals(options.root, home)) {
    checks.push({
      name: "external",
      ok: external.reachable,
      detail: `${external.codebase}: ${external.alias} (${external.url}) ${external.reachable ? "reachable" : "not reachable"}: ${external.detail}`,
      ...(external.fix ? { fix: external.fix } : {}),
    });
  }
  checks.push(...dataChecks(home, new Set(await runningPids(home))));

  const socket = socketPath(home);
  if (existsSync(socket)) {
    const alive = await socketAnswers(socket);
    checks.push(
      alive
        ? { name: "supervisor", ok: true, detail: `running (${socket})` }
        : {
            name: "supervisor",
            ok: false,
            detail: `a stale socket is left by a supervisor that died: ${socket}`,
            fix: `rm ${socket} (the next command starts a new supervisor)`,
          },
    );
  } else {
    checks.push({ name: "supervisor", ok: true, detail: "not running (started on demand)" });
  }
  return checks;
}

/**
 * The fixed ports of this folder's workspace: each must be free, or held by a process Berth itself runs
 * for that codebase. A stranger on one would stop `up`; the check names it now.
 */
async function portChecks(root: string, home: string): Promise<Check[]> {
  if (!existsSync(manifestPath(root))) return [];
  let workspace: Awaited<ReturnType<typeof resolveWorkspace>>;
  try {
    workspace = await resolveWorkspace({ root, home });
  } catch {
    return [
      {
        name: "workspace",
        ok: false,
        detail: `${manifestPath(root)} does not load`,
        fix: "run `berth validate` for the details",
      },
    ];
  }
  const ours = new Set((await runningPids(home)).map(String));
  const checks: Check[] = [];
  for (const codebase of workspace.codebases.values()) {
    for (const [name, process] of Object.entries(codebase.loaded.manifest.processes ?? {})) {
      if (typeof process.port !== "number" || !(await portTaken(process.port))) continue;
      const holder = portHolder(process.port);
      if (holder && ours.has(String(holder.pid))) continue;
      checks.push({
        name: "port",
        ok: false,
        detail: `${process.port} (${codebase.name}/${name}) is taken by ${holder ? `pid ${holder.pid} (${holder.command})` : "another process"}`,
        fix: holder
          ? `stop it (kill ${holder.pid}), or give ${codebase.name}/${name} another port (or port: auto)`
          : "free the port",
      });
    }
  }
  return checks.length > 0
    ? checks
    : [{ name: "ports", ok: true, detail: "the workspace's fixed ports are free" }];
}

/** Pids of the processes the supervisor runs, if it runs. */
async function runningPids(home: string): Promise<number[]> {
  try {
    const rows = (await askRunningSupervisor({ home }, "status", { all: true })) ?? [];
    return rows.flatMap((row) => (row.pid === null ? [] : [row.pid]));
  } catch {
    return [];
  }
}
