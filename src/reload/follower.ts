import { selectCodebases } from "../graph/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import type { UpContext } from "../up/index.js";
import { ChangeBatcher, FolderWatcher, type WatchedInterest } from "../watch/index.js";
import type { Workspace } from "../workspace/index.js";
import { applyChanges, type Changes } from "./apply.js";
import { restartInPlace } from "./cascade.js";
import { type FolderPlan, folderPlan } from "./interests.js";
import { LoopGuard } from "./loop-guard.js";

/** What a follower needs of the supervisor. */
export interface FollowHost {
  /** What an `up` of a reload works with: the supervisor's processes, servers and workspaces. */
  context: Omit<UpContext, "emit" | "signal">;
  /** Runs `work` after every earlier change to what runs (an up, a down, another reload). */
  serialised<T>(what: string, work: () => Promise<T>): Promise<T>;
  /** Registers a reload with the workspace's `up`s in progress, so that a `down` of it cancels it. */
  track(root: string, controller: AbortController): () => void;
}

/** The `up` a follower follows: what it brought up, with which environment and trust. */
export interface FollowParams {
  codebases: string[];
  env: NodeJS.ProcessEnv;
  trustAll: boolean;
  /** False (`up --no-watch`): no file is watched; `cascade` consumers still follow their dependencies' restarts. */
  watch: boolean;
}

/** What `berth watch` shows of one codebase's folder. */
export interface WatchedFolder {
  codebase: string;
  dir: string;
  debounce_ms: number;
  interests: WatchedInterest[];
  /** Processes whose watching paused (they rewrite their own watched files), and why. */
  paused: { process: string; message: string }[];
}

interface Folder {
  plan: FolderPlan;
  watcher: FolderWatcher;
  batcher: ChangeBatcher;
  /** When the first change of the coming batch was seen. */
  firstChangeAt: number | undefined;
}

/**
 * Follows the edits of one running workspace: watches what its followed codebases' manifests, tasks and
 * processes name, in each codebase's folder (a linked checkout's, when linked), and applies each quiet
 * batch of changes (see `applyChanges`), one at a time with every other change to what runs.
 */
export class Follower {
  readonly #folders = new Map<string, Folder>();
  readonly #paused = new Map<string, string>();
  readonly #guard = new LoopGuard();
  /** Manifests (`file\0hash`) as the `up --trust` saw them: its trust covers them, not their later edits. */
  readonly #trustedByUp = new Set<string>();
  readonly #problems: string[] = [];
  /** Manifest changes not applied for want of trust, by folder: `berth trust` applies them. */
  readonly #awaitingTrust = new Map<string, string[]>();
  #params: FollowParams;
  #syncing: Promise<void> = Promise.resolve();
  #closed = false;
  /** Processes seen ready: their next `ready` is a restart in place (a crash, a reload, `berth restart`). */
  readonly #readyBefore = new WeakSet<SupervisedProcess>();
  readonly #unlisten: () => void;
  /** Folders of codebases some codebase requires with `cascade: true` (as of the last sync). */
  #cascading = new Set<string>();

  constructor(
    readonly root: string,
    private readonly host: FollowHost,
    params: FollowParams,
    workspace: Workspace,
  ) {
    this.#params = { ...params, codebases: asked(workspace, params.codebases) };
    this.#rememberTrust(workspace, params.trustAll);
    const { registry } = host.context;
    for (const process of registry.all()) if (process.state === "ready") this.#readyBefore.add(process);
    this.#unlisten = registry.listen((event, process) => {
      if (event.type !== "process" || event.state !== "ready" || !process) return;
      if (this.#readyBefore.has(process) && this.#cascading.has(process.spec.dir))
        void this.#cascadeFrom(process);
      this.#readyBefore.add(process);
    });
  }

  /** Another `up` of the workspace: its codebases are followed too; its env and trust are the latest. */
  update(params: FollowParams, workspace: Workspace): void {
    const codebases = [...new Set([...this.#params.codebases, ...asked(workspace, params.codebases)])];
    this.#params = { ...params, codebases };
    this.#rememberTrust(workspace, params.trustAll);
    this.#paused.clear();
  }

  /** Watches again what the workspace now runs and declares; resolves once the watchers are ready. */
  sync(): Promise<void> {
    this.#syncing = this.#syncing.then(() => this.#sync()).catch(() => {});
    return this.#syncing;
  }

  /** The user trusted manifests: changes that waited for it are applied (if what is trusted covers them). */
  trusted(): void {
    for (const [dir, files] of this.#awaitingTrust) this.#changed(dir, "manifest", files);
    this.#awaitingTrust.clear();
  }

  /** `berth restart`: a paused process is watched again. */
  resume(process: string): boolean {
    this.#guard.forget(process);
    return this.#paused.delete(process);
  }

  describe(): WatchedFolder[] {
    return [...this.#folders.values()].map(({ plan, watcher }) => ({
      codebase: plan.codebase,
      dir: plan.dir,
      debounce_ms: plan.quietMs,
      interests: watcher.describe(),
      paused: [...this.#paused]
        .filter(([name]) => name.startsWith(`${plan.codebase}/`))
        .map(([process, message]) => ({ process, message })),
    }));
  }

  get problems(): readonly string[] {
    return this.#problems;
  }

  /** Whether a process this workspace's `up`s started still runs. */
  runsAnything(registry: Registry): boolean {
    return registry.all().some((process) => process.owners.has(this.root));
  }

  /** Whether its files are watched (not `up --no-watch`). */
  get watching(): boolean {
    return this.#params.watch;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unlisten();
    await this.#syncing;
    await Promise.all([...this.#folders.keys()].map((dir) => this.#drop(dir)));
  }

  async #sync(): Promise<void> {
    if (this.#closed) return;
    // An edited manifest that does not load: what is watched stays as it is, the reload said why.
    const workspace = await this.host.context.resolve(this.root).catch(() => undefined);
    if (!workspace || this.#closed) return;
    this.#cascading = new Set(
      workspace.dependencies.flatMap((dependency) =>
        dependency.cascade && dependency.target.kind === "codebase"
          ? (workspace.codebases.get(dependency.target.name)?.dir ?? [])
          : [],
      ),
    );
    if (!this.#params.watch) {
      for (const dir of this.#folders.keys()) await this.#drop(dir);
      return;
    }
    const paused = new Set(this.#paused.keys());
    const plans = [...selectCodebases(workspace, this.#params.codebases)]
      .flatMap((name) => workspace.codebases.get(name) ?? [])
      // A pinned git dependency lives in Berth's cache: nobody edits it there (a linked checkout is watched).
      .filter((codebase) => !codebase.dir.startsWith(`${this.host.context.registry.home}/`))
      .map((codebase) => folderPlan(codebase, this.host.context.registry, paused));
    for (const dir of this.#folders.keys())
      if (!plans.some((plan) => plan.dir === dir)) await this.#drop(dir);
    await Promise.all(plans.map((plan) => this.#watch(plan)));
  }

  async #watch(plan: FolderPlan): Promise<void> {
    let folder = this.#folders.get(plan.dir);
    if (folder && folder.plan.quietMs !== plan.quietMs) {
      folder.batcher.close();
      folder.batcher = this.#batcher(plan);
    }
    if (!folder) {
      const watcher = new FolderWatcher(
        plan.dir,
        { ignoreDirs: plan.ignoreDirs },
        (id, files) => this.#changed(plan.dir, id, files),
        (problem) => this.#problem(plan, [problem.message, problem.hint].filter(Boolean).join("; ")),
      );
      folder = { plan, watcher, batcher: this.#batcher(plan), firstChangeAt: undefined };
      this.#folders.set(plan.dir, folder);
    }
    folder.plan = plan;
    await folder.watcher.set(plan.interests);
  }

  /**
   * A process restarted in place: the processes of codebases that require its codebase with `cascade: true`
   * restart once it is ready (theirs restart in turn, the same way), after what else changes what runs.
   */
  #cascadeFrom(restarted: SupervisedProcess): Promise<void> {
    const { registry, resolve } = this.host.context;
    return this.host.serialised(`restarting what cascades from ${restarted.name}`, async () => {
      const workspace = await resolve(this.root).catch(() => undefined);
      if (!workspace || this.#closed) return;
      const consumers = new Set(
        workspace.dependencies.flatMap((dependency) =>
          dependency.cascade &&
          dependency.target.kind === "codebase" &&
          workspace.codebases.get(dependency.target.name)?.dir === restarted.spec.dir
            ? (workspace.codebases.get(dependency.from)?.dir ?? [])
            : [],
        ),
      );
      const processes = registry
        .all()
        .filter((process) => consumers.has(process.spec.dir) && ALIVE.includes(process.state));
      await Promise.all(processes.map((process) => restartInPlace(registry, process, restarted.name)));
    });
  }

  /** What keeps a folder from being watched (the OS limit): kept for `berth watch`, said where logs go. */
  #problem(plan: FolderPlan, text: string): void {
    if (this.#problems.includes(text)) return;
    this.#problems.push(text);
    const { registry } = this.host.context;
    const line = { type: "line" as const, codebase: plan.codebase, name: "watch", stream: "berth" as const };
    const process = registry.all().find((candidate) => candidate.spec.dir === plan.dir);
    process?.note(text);
    registry.broadcast({ ...line, line: text, t: Date.now() }, process);
  }

  #batcher(plan: FolderPlan): ChangeBatcher {
    return new ChangeBatcher(plan.quietMs, (items) => this.#reload(plan.dir, items));
  }

  #changed(dir: string, id: string, files: string[]): void {
    const folder = this.#folders.get(dir);
    if (!folder || this.#closed) return;
    folder.firstChangeAt ??= Date.now();
    folder.batcher.push(files.map((file) => `${id}\0${file}`));
  }

  async #reload(dir: string, items: string[]): Promise<void> {
    const folder = this.#folders.get(dir);
    if (!folder || this.#closed) return;
    const changedAt = folder.firstChangeAt ?? Date.now();
    folder.firstChangeAt = undefined;
    const changes: Changes = new Map();
    for (const item of items) {
      const [id = "", file = ""] = item.split("\0");
      changes.set(id, [...(changes.get(id) ?? []), file]);
    }
    const controller = new AbortController();
    const { codebase } = folder.plan;
    await this.host.serialised(`reloading ${codebase}`, async () => {
      if (this.#closed) return;
      const untrack = this.host.track(this.root, controller);
      try {
        await applyChanges({
          root: this.root,
          codebase,
          dir,
          changes,
          changedAt,
          codebases: this.#params.codebases,
          env: this.#params.env,
          trustAll: (workspace) => this.#trustsAll(workspace),
          context: this.host.context,
          signal: controller.signal,
          guard: this.#guard,
          pause: (process, message) => this.#paused.set(process, message),
          awaitTrust: (files) => this.#awaitingTrust.set(dir, files),
          absorb: (process) => {
            if (!folder.batcher.drop((item) => item.startsWith(`process:${process}\0`)))
              folder.firstChangeAt = undefined;
          },
        });
      } finally {
        untrack();
      }
    });
    await this.sync();
  }

  async #drop(dir: string): Promise<void> {
    const folder = this.#folders.get(dir);
    if (!folder) return;
    this.#folders.delete(dir);
    folder.batcher.close();
    await folder.watcher.close();
  }

  #rememberTrust(workspace: Workspace, trustAll: boolean): void {
    if (!trustAll) return;
    for (const { loaded } of workspace.codebases.values())
      this.#trustedByUp.add(`${loaded.file}\0${loaded.hash}`);
  }

  /**
   * `--trust` covers the manifests as its `up` saw them, not their later edits; `BERTH_TRUST=1` in the
   * environment of the `up` trusts whatever they become.
   */
  #trustsAll(workspace: Workspace): boolean {
    if (!this.#params.trustAll) return false;
    return this.#params.env.BERTH_TRUST === "1" || this.#coveredByUp(workspace);
  }

  #coveredByUp(workspace: Workspace): boolean {
    return [...workspace.codebases.values()].every(({ loaded }) =>
      this.#trustedByUp.has(`${loaded.file}\0${loaded.hash}`),
    );
  }
}

/** The codebases an `up` asked for: those named, else the workspace's own. */
function asked(workspace: Workspace, codebases: readonly string[]): string[] {
  return codebases.length > 0 ? [...codebases] : [workspace.root.name];
}

const ALIVE: readonly string[] = ["starting", "ready", "backoff"];
