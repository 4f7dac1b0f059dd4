import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { userErrorsOf } from "../errors/index.js";
import { assertKnownTargets } from "../graph/index.js";
import { manifestPath } from "../manifest/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import type { Servers } from "../providers/index.js";
import { resolveWorkspace, type Workspace } from "../workspace/index.js";

/**
 * The workspaces the supervisor was asked about, remembered while their files are unchanged, and which of
 * its processes and codebase folders each one owns.
 */
export class Workspaces {
  readonly #cache = new Map<string, { workspace: Workspace; fingerprint: string }>();

  constructor(
    private readonly registry: Registry,
    private readonly servers: Servers,
    /** Codebase folders that claimed each server (by server key). */
    private readonly serverUsers: Map<string, Set<string>>,
  ) {}

  /** A workspace whose manifests, lockfile and links are unchanged since it was last read is not read again. */
  async at(root: string): Promise<Workspace> {
    const home = this.registry.home;
    const cached = this.#cache.get(root);
    if (cached && cached.fingerprint === fingerprint(cached.workspace, home)) return cached.workspace;
    const workspace = await resolveWorkspace({ root, home });
    this.#cache.set(root, { workspace, fingerprint: fingerprint(workspace, home) });
    return workspace;
  }

  /** The workspace of a root folder (undefined when the folder has no manifest). */
  async of(root: string): Promise<Workspace | undefined> {
    if (!existsSync(manifestPath(root))) return undefined;
    return this.at(root);
  }

  /**
   * The workspace of a root folder for what runs (status, wait, down): when its manifests no longer load,
   * the one last loaded, from which what runs was started, so that it can still be seen and stopped. The
   * error when there is none (then nothing of this folder runs: a supervisor that started it is gone).
   */
  async running(root: string): Promise<Workspace | undefined> {
    try {
      return await this.of(root);
    } catch (error) {
      const last = this.#cache.get(root)?.workspace;
      if (last && userErrorsOf(error).length > 0) return last;
      throw error;
    }
  }

  /** The workspace's running processes, of the named codebases or codebase/process targets (all without). */
  processesOf(workspace: Workspace | undefined, targets: readonly string[]): SupervisedProcess[] {
    if (!workspace) return [];
    const wanted = (process: SupervisedProcess) => {
      const codebase = [...workspace.codebases.values()].find(
        (candidate) => candidate.dir === process.spec.dir,
      );
      if (!codebase) return false;
      return (
        targets.length === 0 ||
        targets.some(
          (target) => target === codebase.name || target === `${codebase.name}/${process.spec.process}`,
        )
      );
    };
    assertKnownTargets(workspace, targets);
    return this.registry.all().filter(wanted);
  }

  /** The folders of a workspace's codebases (or of the named ones). */
  dirsOf(workspace: Workspace | undefined, names: readonly string[]): string[] {
    if (!workspace) return [];
    return [...workspace.codebases.values()]
      .filter((codebase) => names.length === 0 || names.includes(codebase.name))
      .map((codebase) => codebase.dir);
  }

  /** Whether a process is the workspace's: one of its codebases, run by it, or a server it claims. */
  belongsTo(workspace: Workspace): (process: SupervisedProcess) => boolean {
    const dirs = new Set([...workspace.codebases.values()].map((codebase) => codebase.dir));
    return (process) => {
      if (dirs.has(process.spec.dir) || process.owners.has(workspace.root.dir)) return true;
      if (process.spec.process !== "server") return false;
      const record = this.servers.server(process.spec.codebase);
      if (record?.dataDir !== process.spec.dir) return false;
      return [...(this.serverUsers.get(record.key) ?? [])].some((dir) => dirs.has(dir));
    };
  }
}

/** The modification times of a workspace's manifests (with their env_files and templates), its lockfile and the links file: what a re-read would see. */
function fingerprint(workspace: Workspace, home: string): string {
  const sources = [...workspace.codebases.values()].flatMap((codebase) => codebase.loaded.sources);
  const files = [...sources, workspace.lockfile.file, join(home, "links.json")];
  return files.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0).join(",");
}
