import { execFile } from "node:child_process";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { BerthError } from "../errors/index.js";
import { planUp } from "../graph/index.js";
import { dumpClaim, dumpFileName, restoreClaim } from "../snapshots/dumps.js";
import { readSnapshotSecrets, restoreSecrets, SECRETS_KIND, snapshotSecrets } from "../snapshots/secrets.js";
import {
  readSnapshot,
  type SnapshotEntry,
  type SnapshotManifest,
  sha256File,
  verifySnapshot,
  writeSnapshot,
} from "../snapshots/store.js";
import type { Workspace } from "../workspace/index.js";
import { knownClaims, knownEnvironment } from "./bindings.js";
import type { Servers } from "./servers.js";
import { TaskCache } from "./task-cache.js";
import { keyOfTask } from "./task-identity.js";

const execFileAsync = promisify(execFile);

/** Runs tar without blocking the supervisor; a failure is told with tar's own words. */
async function tar(args: string[], what: string): Promise<void> {
  try {
    await execFileAsync("tar", args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new BerthError("BERTH_TAR_FAILED", `could not ${what}: ${stderr || (error as Error).message}`, {
      hint: "is tar installed, and the folder readable?",
    });
  }
}

/** What a snapshot save or restore needs of the supervisor that runs it. */
export interface SnapshotContext {
  home: string;
  workspace: Workspace;
  servers: Servers;
  /** Starts the servers and claims of these codebases, running no task. */
  ensureClaims(codebases: readonly string[]): Promise<void>;
  /** Restarts whatever of these codebases runs; resolves to the restarted processes' names. */
  restart(codebases: readonly string[]): Promise<string[]>;
}

function claimsOf(servers: Servers, workspace: Workspace, codebases: readonly string[]) {
  return [...knownClaims(servers, workspace, { codebases: [...codebases] }).entries()].map(([key, value]) => {
    const [codebase = "", alias = ""] = key.split("#");
    return { codebase, alias, ...value };
  });
}

/** `berth snapshot save <name> [codebase…]`: every claim's data and every declared data folder, checksummed. */
export async function saveSnapshot(
  context: SnapshotContext,
  name: string,
  asked: readonly string[],
  signal: AbortSignal,
): Promise<SnapshotManifest> {
  const { home, workspace, servers } = context;
  const { codebases } = planUp(workspace, asked);
  signal.throwIfAborted();
  await context.ensureClaims(codebases);
  return writeSnapshot(home, name, async (folder) => {
    const entry = async (codebase: string, what: string, kind: string, file: string, sha256?: string) => {
      const path = join(folder, file);
      const { size } = await stat(path);
      return { codebase, what, kind, file, size, sha256: sha256 ?? (await sha256File(path)) };
    };
    // Each claim is dumped by its own tool straight into its file, then checksummed; they run side by side.
    const dumped = await Promise.all(
      claimsOf(servers, workspace, codebases).map(async (claim) => {
        const file = `${claim.codebase}/${claim.alias}.${dumpFileName(claim.server.kind)}`;
        await mkdir(join(folder, claim.codebase), { recursive: true });
        const sha256 = await dumpClaim(
          { server: claim.server, grant: claim.claim.grant },
          join(folder, file),
          signal,
        );
        return sha256 ? entry(claim.codebase, claim.alias, claim.server.kind, file, sha256) : undefined;
      }),
    );
    const entries: SnapshotEntry[] = dumped.filter((item) => item !== undefined);
    for (const name of codebases) {
      const codebase = workspace.codebases.get(name);
      if (!codebase) continue;
      for (const [index, data] of (codebase.loaded.manifest.data ?? []).entries()) {
        signal.throwIfAborted();
        const file = `${name}/data-${index}.tar`;
        await mkdir(join(folder, name), { recursive: true });
        await dataFolder(join(codebase.dir, data), `${name}'s data folder ${data}`);
        await tar(["-cf", join(folder, file), "-C", join(codebase.dir, data), "."], `archive ${data}`);
        entries.push(await entry(name, `data:${data}`, "folder", file));
      }
    }
    entries.push(...(await snapshotSecrets(home, workspace, codebases, folder)));
    return { codebases, entries };
  });
}

/** Makes sure a declared data folder exists (empty if new); anything else under its name is an error. */
async function dataFolder(path: string, what: string): Promise<void> {
  const found = await stat(path).catch(() => undefined);
  if (found && !found.isDirectory())
    throw new BerthError("BERTH_DATA_NOT_FOLDER", `${what} is a file, not a folder`, {
      hint: "move the file away, or change `data` in the manifest; no snapshot was kept",
    });
  await mkdir(path, { recursive: true });
}

/**
 * `berth snapshot restore <name>`: replaces the current data with the snapshot's exactly. The tasks'
 * cache takes the restored data as done (a later `up` does not seed over it); running processes restart.
 */
export async function restoreSnapshot(
  context: SnapshotContext,
  name: string,
): Promise<{ restored: string[]; restarted: string[] }> {
  const { home, workspace, servers } = context;
  const { folder, manifest } = readSnapshot(home, name);
  await verifySnapshot(folder, manifest);
  const secrets = readSnapshotSecrets(folder, manifest.entries);
  const missing = manifest.codebases.filter((codebase) => !workspace.codebases.has(codebase));
  if (missing.length > 0)
    throw new BerthError(
      "BERTH_SNAPSHOT_WORKSPACE",
      `snapshot ${manifest.name} holds codebases this workspace lacks: ${missing.join(", ")}`,
      { hint: "restore it from the workspace it was taken in" },
    );
  await context.ensureClaims(manifest.codebases);
  const claims = claimsOf(servers, workspace, manifest.codebases);
  // Every claim is matched before any data is touched, then each is restored by its own tool, side by side.
  const restores = manifest.entries
    .filter((entry) => !entry.what.startsWith("data:") && entry.kind !== SECRETS_KIND)
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
    await rm(target, { recursive: true, force: true });
    await mkdir(target, { recursive: true });
    await tar(["-xf", join(folder, entry.file), "-C", target], `unpack ${entry.what.slice("data:".length)}`);
  }
  restoreSecrets(home, workspace, secrets);
  markTasksDone(context, manifest.codebases);
  return {
    restored: manifest.entries.map((entry) => `${entry.codebase}/${entry.what}`),
    restarted: await context.restart(manifest.codebases),
  };
}

/** The restored data stands for what install, migrate and seed produced: their keys are recorded as done. */
function markTasksDone({ home, workspace, servers }: SnapshotContext, codebases: readonly string[]): void {
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
