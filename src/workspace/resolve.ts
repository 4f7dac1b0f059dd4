import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { BerthError, BerthErrors, type Location, userErrorsOf } from "../errors/index.js";
import {
  claimOutputNames,
  didYouMean,
  type LoadedManifest,
  loadManifest,
  manifestPath,
  type Probe,
  type ProviderKind,
  unknownNameError,
} from "../manifest/index.js";
import { GitCache } from "./git-cache.js";
import { Links } from "./links.js";
import { LOCK_FILE, Lockfile } from "./lockfile.js";

export type CodebaseOrigin =
  | { kind: "root" }
  | { kind: "path" }
  | { kind: "git"; url: string; ref: string | undefined; commit: string };

export interface Codebase {
  name: string;
  /** Its folder, after links: what `${requires.<alias>.dir}` and `${self.dir}` give. */
  dir: string;
  loaded: LoadedManifest;
  origin: CodebaseOrigin;
  /** Set when `berth link` replaced the declared folder: the folder it replaced. */
  linkedFrom?: string;
}

export type DependencyTarget =
  | { kind: "codebase"; name: string }
  | { kind: "provider"; provider: ProviderKind; version: string | undefined; database: string | undefined }
  /** A service Berth does not run: its values are rendered by the environment, its probe waited for. */
  | { kind: "external"; ready: Probe | undefined };

/** One `requires` entry, resolved. */
export interface Dependency {
  from: string;
  alias: string;
  target: DependencyTarget;
  location: Location;
  /** `cascade: true`: the consumer restarts after every restart of the required codebase. */
  cascade?: boolean;
}

export interface Workspace {
  root: Codebase;
  codebases: Map<string, Codebase>;
  dependencies: Dependency[];
  lockfile: Lockfile;
}

export interface ResolveOptions {
  /** The root codebase's folder or manifest. */
  root: string;
  home: string;
  /** Re-resolve git refs instead of using berth.lock's pins: all, or those whose alias or URL is listed. */
  update?: boolean | readonly string[];
  /** Cancels the git work (clone, fetch, checkout) resolving needs. */
  signal?: AbortSignal;
}

/** Loads the root manifest and every codebase it reaches through `requires`, checking all of them. */
export async function resolveWorkspace(options: ResolveOptions): Promise<Workspace> {
  const rootFile = manifestPath(options.root);
  const root: Codebase = {
    name: "",
    dir: dirname(rootFile),
    loaded: loadManifest(rootFile),
    origin: { kind: "root" },
  };
  root.name = root.loaded.manifest.name;
  const lockfile = new Lockfile(join(root.dir, LOCK_FILE));
  const links = new Links(options.home, rootFile).all();
  const loadedByDir = new Map<string, LoadedManifest>();
  const loadOnce = (dir: string, location: Location, shown: string) => {
    let loaded = loadedByDir.get(dir);
    if (!loaded) {
      loaded = loadAt(dir, location, shown);
      loadedByDir.set(dir, loaded);
    }
    return loaded;
  };
  const git = new GitCache(options.home, options.signal);
  const codebases = new Map([[root.name, root]]);
  const dependencies: Dependency[] = [];
  const errors: BerthError[] = [];
  const queue = [root];
  /** The aliases and URLs of every git requirement, for `update <name>`. */
  const gitNames = new Set<string>();

  for (let codebase = queue.shift(); codebase; codebase = queue.shift()) {
    for (const [alias, requirement] of Object.entries(codebase.loaded.manifest.requires ?? {})) {
      const location = codebase.loaded.source.locate(["requires", alias]);
      const from = codebase.name;
      if ("provider" in requirement) {
        const version = requirement.version === undefined ? undefined : String(requirement.version);
        const { provider, database } = requirement;
        dependencies.push({
          from,
          alias,
          location,
          target: { kind: "provider", provider, version, database },
        });
        continue;
      }
      if ("external" in requirement) {
        dependencies.push({ from, alias, location, target: { kind: "external", ready: requirement.ready } });
        continue;
      }
      try {
        const found = await locate(requirement, codebase, {
          lockfile,
          git,
          alias,
          update: options.update,
          gitNames,
        });
        const loaded = loadOnce(found.dir, location, relative(codebase.dir, found.dir) || ".");
        const linkedDir = links[loaded.manifest.name];
        const next: Codebase =
          linkedDir && resolve(linkedDir) !== found.dir
            ? {
                ...linked(linkedDir, loaded.manifest.name, location),
                origin: found.origin,
                linkedFrom: found.dir,
              }
            : { name: loaded.manifest.name, dir: found.dir, loaded, origin: found.origin };
        const existing = codebases.get(next.name);
        if (existing && existing.dir !== next.dir) {
          errors.push(
            new BerthError(
              "BERTH_DUPLICATE_NAME",
              `two different codebases are named \`${next.name}\`: ${existing.dir} and ${next.dir}`,
              {
                location,
                hint: "codebase names are unique in a workspace; rename one of them (its `name:`)",
              },
            ),
          );
          continue;
        }
        if (!existing) {
          codebases.set(next.name, next);
          queue.push(next);
        }
        dependencies.push({
          from,
          alias,
          location,
          target: { kind: "codebase", name: next.name },
          ...(requirement.cascade ? { cascade: true } : {}),
        });
      } catch (error) {
        if (userErrorsOf(error).length === 0) throw error;
        errors.push(...userErrorsOf(error));
      }
    }
  }
  errors.push(...checkPendingExports(codebases, dependencies));
  // `berth update <name>` of a name no git requirement has moves nothing: the lockfile is not saved.
  for (const name of Array.isArray(options.update) ? options.update : []) {
    if (!gitNames.has(name))
      errors.push(unknownNameError({ what: "git requirement", name, known: gitNames }));
  }
  if (errors.length > 0) throw new BerthErrors(errors);
  lockfile.save();
  return { root, codebases, dependencies, lockfile };
}

interface Found {
  dir: string;
  origin: CodebaseOrigin;
}

async function locate(
  requirement: { path: string } | { git: string; ref?: string | undefined; path?: string | undefined },
  from: Codebase,
  context: {
    lockfile: Lockfile;
    git: GitCache;
    alias: string;
    update: ResolveOptions["update"];
    gitNames: Set<string>;
  },
): Promise<Found> {
  if (!("git" in requirement)) return { dir: resolve(from.dir, requirement.path), origin: { kind: "path" } };
  // A local repository path is relative to the manifest that names it, as `path:` is.
  const url = /^[a-z+]+:\/\/|^[^/]+@[^:]+:/.test(requirement.git)
    ? requirement.git
    : resolve(from.dir, requirement.git);
  const { ref } = requirement;
  context.gitNames.add(context.alias).add(url);
  const update =
    context.update === true ||
    (Array.isArray(context.update) &&
      (context.update.includes(context.alias) || context.update.includes(url)));
  const commit = (!update && context.lockfile.pinned(url, ref)) || (await context.git.resolve(url, ref));
  context.lockfile.use(url, ref, commit);
  const checkout = await context.git.checkout(url, commit);
  return { dir: resolve(checkout, requirement.path ?? "."), origin: { kind: "git", url, ref, commit } };
}

function loadAt(dir: string, location: Location, shown: string): LoadedManifest {
  const file = manifestPath(dir);
  if (!existsSync(file)) {
    throw new BerthError("BERTH_REQUIRES_MISSING", `\`${shown}\` has no berth.yaml (looked for ${file})`, {
      location,
      hint: existsSync(dir)
        ? `run \`berth init\` in ${dir}`
        : "check the path; it is relative to this manifest's folder",
    });
  }
  return loadManifest(file);
}

function linked(dir: string, name: string, location: Location): Omit<Codebase, "origin"> {
  const loaded = loadAt(resolve(dir), location, dir);
  if (loaded.manifest.name !== name) {
    throw new BerthError(
      "BERTH_LINK_MISMATCH",
      `the folder linked for \`${name}\` holds codebase \`${loaded.manifest.name}\``,
      {
        location,
        hint: `run \`berth unlink ${name}\`, or link the right folder`,
      },
    );
  }
  return { name, dir: resolve(dir), loaded };
}

/** `${requires.<alias>.<key>}` where the alias is a codebase: the key must be one of its exports. */
function checkPendingExports(
  codebases: Map<string, Codebase>,
  dependencies: readonly Dependency[],
): BerthError[] {
  const errors: BerthError[] = [];
  for (const codebase of codebases.values()) {
    for (const pending of codebase.loaded.pendingExports) {
      const dependency = dependencies.find(
        (entry) => entry.from === codebase.name && entry.alias === pending.alias,
      );
      if (dependency?.target.kind !== "codebase") continue;
      const target = codebases.get(dependency.target.name);
      if (!target) continue;
      const available = codebaseExports(target);
      if (available.includes(pending.key)) continue;
      errors.push(
        new BerthError(
          "BERTH_INTERPOLATION",
          `\${requires.${pending.alias}.${pending.key}}: codebase \`${target.name}\` exports ${available.join(", ")}; not \`${pending.key}\``,
          {
            location: pending.location,
            hint:
              didYouMean(pending.key, available) ??
              `add \`${pending.key}\` to the \`exports:\` of ${target.loaded.file}`,
          },
        ),
      );
    }
  }
  return errors;
}

/** What a codebase exports to its consumers: its `exports`, its `dir`, and its claim task's outputs. */
export function codebaseExports(codebase: Codebase): string[] {
  const { manifest } = codebase.loaded;
  return ["dir", ...Object.keys(manifest.exports ?? {}), ...claimOutputNames(manifest)];
}
