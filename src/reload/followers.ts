import { type FSWatcher, watch } from "node:fs";
import { Follower, type FollowHost, type FollowParams, type WatchedFolder } from "./follower.js";

/** What `berth watch` shows of a followed workspace. */
export interface Watching {
  root: string;
  folders: WatchedFolder[];
  /** What keeps part of it from being watched (the OS limit on watches), with what to do. */
  problems: string[];
}

/** The running workspaces whose edits the supervisor follows, by root folder. */
export class Followers {
  readonly #byRoot = new Map<string, Follower>();
  /** Berth's state folder, for `trust.json`: a manifest change that waited for trust is applied once given. */
  #trust: FSWatcher | undefined;

  constructor(private readonly host: FollowHost) {}

  /** After an `up`: follows its workspace, and resolves once what it names is watched (unless `--no-watch`). */
  async follow(root: string, params: FollowParams): Promise<void> {
    const workspace = await this.host.context.resolve(root);
    let follower = this.#byRoot.get(workspace.root.dir);
    if (follower) follower.update(params, workspace);
    else {
      follower = new Follower(workspace.root.dir, this.host, params, workspace);
      this.#byRoot.set(workspace.root.dir, follower);
    }
    this.#watchTrust();
    await follower.sync();
  }

  async #unfollow(root: string): Promise<void> {
    const follower = this.#byRoot.get(root);
    this.#byRoot.delete(root);
    await follower?.close();
  }

  /** After processes stopped: a workspace that runs nothing is no longer followed; the others watch what runs. */
  async settle(): Promise<void> {
    for (const [root, follower] of this.#byRoot) {
      if (follower.runsAnything(this.host.context.registry)) await follower.sync();
      else await this.#unfollow(root);
    }
  }

  /** `berth restart`: the named processes are watched again, if their watching had paused. */
  async resume(root: string, processes: readonly string[]): Promise<void> {
    const follower = this.#byRoot.get(root);
    if (!follower) return;
    if (processes.map((name) => follower.resume(name)).some(Boolean)) await follower.sync();
  }

  #watchTrust(): void {
    if (this.#trust) return;
    this.#trust = watch(this.host.context.registry.home, (_, file) => {
      if (file !== "trust.json") return;
      for (const follower of this.#byRoot.values()) follower.trusted();
    });
    this.#trust.on("error", () => {});
    this.#trust.unref();
  }

  /** The followed workspaces (of `root` only, when given). */
  describe(root?: string): Watching[] {
    return [...this.#byRoot.values()]
      .filter((follower) => follower.watching && (root === undefined || follower.root === root))
      .map((follower) => ({
        root: follower.root,
        folders: follower.describe(),
        problems: [...follower.problems],
      }));
  }
}
