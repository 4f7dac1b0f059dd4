import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { planUp } from "../graph/index.js";
import { SupervisorClient } from "../runtime/client.js";
import { keyOfTask, knownClaims, knownEnvironment, Servers, TaskCache } from "../runtime/index.js";
import type { UpResult } from "../runtime/protocol.js";
import { dumpClaim, dumpFileName, restoreClaim } from "../snapshots/dumps.js";
import {
  readSnapshot,
  type SnapshotEntry,
  type SnapshotManifest,
  sha256File,
  verifySnapshot,
  writeSnapshot,
} from "../snapshots/store.js";
import { resolveWorkspace, type Workspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./context.js";

interface SnapshotOptions extends WorkspaceOptions {
  codebases?: readonly string[];
  trustAll?: boolean;
}

/** Starts (through the supervisor) the servers and claims of these codebases, running no task. */
async function ensureClaims(
  home: string,
  root: string,
  codebases: readonly string[],
  trustAll: boolean,
): Promise<void> {
  const client = await SupervisorClient.connect(home, { start: true });
  if (!client) throw new Error("bug: no supervisor");
  try {
    const result = await client.request<UpResult>("up", {
      root,
      codebases,
      env: process.env,
      trustAll,
      follow: false,
      only: [],
    });
    if (!result.ok)
      throw new BerthError(
        "BERTH_SERVERS_DOWN",
        `the databases could not be started: ${result.failed?.message ?? "unknown"}`,
        { hint: result.failed?.hint },
      );
  } finally {
    client.close();
  }
}

function claimsOf(home: string, workspace: Workspace, codebases: readonly string[]) {
  const servers = new Servers(home);
  return [...knownClaims(servers, workspace, { codebases: [...codebases] }).entries()].map(([key, value]) => {
    const [codebase = "", alias = ""] = key.split("#");
    return { codebase, alias, ...value };
  });
}

/** `berth snapshot save <name> [codebase…]`: every claim's data and every declared data folder, checksummed. */
export async function saveSnapshot(options: SnapshotOptions & { name: string }): Promise<SnapshotManifest> {
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home });
  const { codebases } = planUp(workspace, options.codebases ?? []);
  await ensureClaims(home, options.root, codebases, options.trustAll ?? false);
  return writeSnapshot(home, options.name, async (folder) => {
    const entries: SnapshotEntry[] = [];
    const add = (codebase: string, what: string, kind: string, file: string) => {
      const path = join(folder, file);
      entries.push({ codebase, what, kind, file, size: statSync(path).size, sha256: sha256File(path) });
    };
    // Each claim is dumped by its own tool; they are independent, so they run side by side.
    const dumped = await Promise.all(
      claimsOf(home, workspace, codebases).map(async (claim) => {
        const file = `${claim.codebase}/${claim.alias}.${dumpFileName(claim.server.kind)}`;
        mkdirSync(join(folder, claim.codebase), { recursive: true });
        const kept = await dumpClaim({ server: claim.server, grant: claim.claim.grant }, join(folder, file));
        return kept ? { claim, file } : undefined;
      }),
    );
    for (const entry of dumped)
      if (entry) add(entry.claim.codebase, entry.claim.alias, entry.claim.server.kind, entry.file);
    for (const name of codebases) {
      const codebase = workspace.codebases.get(name);
      for (const [index, data] of (codebase?.loaded.manifest.data ?? []).entries()) {
        if (!codebase) continue;
        const file = `${name}/data-${index}.tar`;
        mkdirSync(join(folder, name), { recursive: true });
        mkdirSync(join(codebase.dir, data), { recursive: true });
        execFileSync("tar", ["-cf", join(folder, file), "-C", join(codebase.dir, data), "."]);
        add(name, `data:${data}`, "folder", file);
      }
    }
    return { codebases, entries };
  });
}

/**
 * `berth snapshot restore <name>`: replaces the current data with the snapshot's exactly. The tasks'
 * cache takes the restored data as done (a later `up` does not seed over it); running processes restart.
 */
export async function restoreSnapshot(
  options: SnapshotOptions & { name: string },
): Promise<{ restored: string[]; restarted: string[] }> {
  const home = homeOf(options);
  const { folder, manifest } = readSnapshot(home, options.name);
  verifySnapshot(folder, manifest);
  const workspace = await resolveWorkspace({ root: options.root, home });
  const missing = manifest.codebases.filter((name) => !workspace.codebases.has(name));
  if (missing.length > 0)
    throw new BerthError(
      "BERTH_SNAPSHOT_WORKSPACE",
      `snapshot ${manifest.name} holds codebases this workspace lacks: ${missing.join(", ")}`,
      { hint: "restore it from the workspace it was taken in" },
    );
  await ensureClaims(home, options.root, manifest.codebases, options.trustAll ?? false);
  const servers = new Servers(home);
  const claims = claimsOf(home, workspace, manifest.codebases);
  // Every claim is matched before any data is touched, then each is restored by its own tool, side by side.
  const restores = manifest.entries
    .filter((entry) => !entry.what.startsWith("data:"))
    .map((entry) => {
      const claim = claims.find(
        (candidate) => candidate.codebase === entry.codebase && candidate.alias === entry.what,
      );
      if (!claim) {
        throw new BerthError(
          "BERTH_SNAPSHOT_WORKSPACE",
          `${entry.codebase} no longer requires \`${entry.what}\``,
          { hint: "its manifest changed since the snapshot; nothing was restored" },
        );
      }
      return { entry, claim };
    });
  await Promise.all(
    restores.map(async ({ entry, claim }) => {
      await restoreClaim({ server: claim.server, grant: claim.claim.grant }, join(folder, entry.file));
      servers.bumpGeneration(workspace.codebases.get(entry.codebase)?.dir ?? "", entry.what);
    }),
  );
  for (const entry of manifest.entries.filter((item) => item.what.startsWith("data:"))) {
    const codebase = workspace.codebases.get(entry.codebase);
    if (!codebase) continue;
    const target = join(codebase.dir, entry.what.slice("data:".length));
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xf", join(folder, entry.file), "-C", target]);
  }
  markTasksDone(home, workspace, manifest.codebases);
  return {
    restored: manifest.entries.map((entry) => `${entry.codebase}/${entry.what}`),
    restarted: await restartRunning(home, options.root, manifest.codebases),
  };
}

/** The restored data stands for what install, migrate and seed produced: their keys are recorded as done. */
function markTasksDone(home: string, workspace: Workspace, codebases: readonly string[]): void {
  const servers = new Servers(home);
  const plan = { codebases: [...codebases] };
  const environment = knownEnvironment(home, workspace, plan, servers);
  const cache = new TaskCache(home);
  for (const name of codebases) {
    const codebase = workspace.codebases.get(name);
    if (!codebase) continue;
    for (const task of ["install", "migrate", "seed"]) {
      const key = keyOfTask(codebase, task, environment, servers);
      if (key) cache.remember(codebase.dir, task, key);
    }
  }
}

async function restartRunning(home: string, root: string, codebases: readonly string[]): Promise<string[]> {
  const client = await SupervisorClient.connect(home, { start: false });
  if (!client) return [];
  const restarted: string[] = [];
  try {
    for (const codebase of codebases) {
      try {
        restarted.push(
          ...(await client.request<{ restarted: string[] }>("restart", { root, target: codebase })).restarted,
        );
      } catch {
        // Nothing of it runs: nothing to restart.
      }
    }
  } finally {
    client.close();
  }
  return restarted;
}
