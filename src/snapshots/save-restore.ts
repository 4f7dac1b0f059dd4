import { chmod, mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { BerthError } from "../errors/index.js";
import { planUp } from "../graph/index.js";
import type { Servers } from "../providers/index.js";
import { knownClaims } from "../providers/index.js";
import type { Workspace } from "../workspace/index.js";
import { unpackArchive } from "./archive.js";
import { dumpClaim, dumpFileName } from "./dumps.js";
import { packFolder } from "./pack-folder.js";
import type { Refreshed } from "./refreshed.js";
import { restoreAll } from "./restore-claims.js";
import { readSnapshotSecrets, restoreSecrets, SECRETS_KIND, snapshotSecrets } from "./secrets.js";
import { claimOutputs, restoreClaimOutputs } from "./snapshot-claims.js";
import {
  readSnapshot,
  type SnapshotEntry,
  type SnapshotManifest,
  sha256File,
  verifySnapshot,
  writeSnapshot,
} from "./store.js";
import { markTasksDone, tasksAtSave } from "./task-records.js";

/** What a snapshot save or restore needs of the supervisor that runs it. */
export interface SnapshotContext {
  home: string;
  workspace: Workspace;
  servers: Servers;
  /** Starts the servers and claims of these codebases, running no task. */
  ensureClaims(codebases: readonly string[]): Promise<void>;
  /**
   * Restarts, with their environment as it now is, the running processes of these codebases and of their
   * running consumers (re-running the codebase claims that are not current); resolves to their names.
   */
  restart(codebases: readonly string[]): Promise<Refreshed>;
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
    const entry = async (
      codebase: string,
      what: string,
      kind: SnapshotEntry["kind"],
      file: string,
      sha256?: string,
    ) => {
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
        const what = `${name}'s data folder ${data}`;
        await dataFolder(join(codebase.dir, data), what);
        await packFolder(join(codebase.dir, data), join(folder, file), what);
        entries.push(await entry(name, `data:${data}`, "folder", file));
      }
    }
    entries.push(...(await snapshotSecrets(home, workspace, codebases, folder)));
    return {
      codebases,
      entries,
      claims: claimOutputs(home, workspace, codebases),
      tasks: tasksAtSave(context, codebases),
    };
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
): Promise<{ restored: string[]; restarted: string[]; reran: string[] }> {
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
  const targets = dataFolderTargets(workspace, manifest);
  await context.ensureClaims(manifest.codebases);
  const claims = claimsOf(servers, workspace, manifest.codebases);
  // Every claim is matched before any data is touched, then each is restored by its own tool, side by side.
  const restores = manifest.entries
    .filter((entry) => entry.kind !== "folder" && entry.kind !== SECRETS_KIND)
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
  // Data folders are unpacked aside first: one that cannot be read refuses the restore before any change.
  const folders = await unpackDataFolders(folder, targets);
  try {
    await restoreAll(
      restores.map(({ entry, claim }) => ({
        name: `${entry.codebase}/${entry.what}`,
        claim: { server: claim.server, grant: claim.claim.grant },
        file: join(folder, entry.file),
      })),
    );
    for (const { entry } of restores)
      servers.bumpGeneration(workspace.codebases.get(entry.codebase)?.dir ?? "", entry.what);
    for (const { target, unpacked } of folders) {
      await rm(target, { recursive: true, force: true });
      await rename(unpacked, target);
    }
  } finally {
    await Promise.all(folders.map(({ unpacked }) => rm(unpacked, { recursive: true, force: true })));
  }
  restoreSecrets(home, workspace, secrets);
  const claimsBack = restoreClaimOutputs(home, workspace, manifest.codebases, manifest.claims ?? {});
  markTasksDone(
    context,
    manifest.codebases,
    manifest.tasks,
    claimsBack.map((claim) => claim.consumer),
  );
  return {
    restored: manifest.entries.map((entry) => `${entry.codebase}/${entry.what}`),
    ...(await context.restart(manifest.codebases)),
  };
}

/**
 * Where each `data:` entry of an (untrusted) snapshot goes, checked before anything changes: a folder its
 * codebase's manifest declares in `data:`, strictly inside the codebase's folder, as a restore removes it.
 */
function dataFolderTargets(
  workspace: Workspace,
  manifest: SnapshotManifest,
): { entry: SnapshotEntry; target: string }[] {
  return manifest.entries
    .filter((entry) => entry.kind === "folder")
    .map((entry) => {
      const codebase = workspace.codebases.get(entry.codebase);
      const declared = entry.what.slice("data:".length);
      const target = codebase && resolve(codebase.dir, declared);
      const inside = target && relative(codebase.dir, target);
      if (
        !codebase ||
        !target ||
        !(codebase.loaded.manifest.data ?? []).includes(declared) ||
        !inside ||
        inside === ".." ||
        inside.startsWith(`..${sep}`) ||
        isAbsolute(inside)
      )
        throw new BerthError(
          "BERTH_SNAPSHOT_WORKSPACE",
          `snapshot ${manifest.name} holds the folder \`${declared.slice(0, 200)}\` of ${entry.codebase}, which its manifest does not declare in \`data\` (inside its folder)`,
          { hint: "restore only snapshots of this workspace's own data; nothing was restored" },
        );
      return { entry, target };
    });
}

/** Each data folder's tar unpacked beside its target (so a rename puts it in place). */
async function unpackDataFolders(
  folder: string,
  targets: readonly { entry: SnapshotEntry; target: string }[],
): Promise<{ target: string; unpacked: string }[]> {
  const unpacked: { target: string; unpacked: string }[] = [];
  try {
    for (const { entry, target } of targets) {
      await mkdir(dirname(target), { recursive: true });
      const aside = await mkdtemp(join(dirname(target), `.${basename(target)}.restore-`));
      await chmod(aside, 0o755);
      unpacked.push({ target, unpacked: aside });
      await unpackArchive(join(folder, entry.file), aside, { keepModes: true });
    }
    return unpacked;
  } catch (error) {
    await Promise.all(unpacked.map((item) => rm(item.unpacked, { recursive: true, force: true })));
    throw error;
  }
}
