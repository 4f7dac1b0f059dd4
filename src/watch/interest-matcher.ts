import picomatch from "picomatch";

/** One thing that wants to hear about changes in a folder: a process's watch globs, a task's inputs, a manifest's files. */
export interface Interest {
  id: string;
  globs: string[];
  ignore?: string[];
}

/** Where a glob starts: the static folder (or file) before its first magic part, and how deep below it it reaches. */
export interface GlobBase {
  /** Relative to the watched folder, posix; "" for the folder itself. */
  base: string;
  /** Folders below `base` the glob can reach into: 0 for `migrations/*.py`, Infinity for `src/**`. */
  depth: number;
}

const options = { dot: true };

/**
 * The static base of a glob. A glob without magic (`package-lock.json`, `src`) names a path and, if that path
 * is a folder, everything under it.
 */
export function globBase(glob: string): GlobBase {
  const scan = picomatch.scan(glob);
  const base = scan.base === "." ? "" : scan.base.replace(/\/+$/, "");
  if (!scan.isGlob) return { base, depth: Number.POSITIVE_INFINITY };
  const rest = scan.glob;
  // Braces and extglobs can hide slashes; `**` reaches any depth.
  if (/\*\*|[{(]/.test(rest)) return { base, depth: Number.POSITIVE_INFINITY };
  return { base, depth: rest.split("/").length - 1 };
}

/** Decides, for one interest, which files it hears about and which folders must be watched for it. */
export class InterestMatcher {
  readonly bases: GlobBase[];
  private readonly matches: (path: string) => boolean;
  private readonly ignores: (path: string) => boolean;

  constructor(readonly interest: Interest) {
    this.bases = interest.globs.map(globBase);
    const globs = interest.globs.flatMap((glob) =>
      picomatch.scan(glob).isGlob ? [glob] : [glob, `${glob.replace(/\/+$/, "")}/**`],
    );
    this.matches = globs.length === 0 ? () => false : picomatch(globs, options);
    const ignore = interest.ignore ?? [];
    this.ignores = ignore.length === 0 ? () => false : picomatch(ignore, options);
  }

  /** A file (relative, posix) this interest hears about. */
  wantsFile(path: string): boolean {
    return this.matches(path) && !this.ignores(path);
  }

  /** A folder (relative, posix; "" for the root) that must be watched to see this interest's files. */
  needsDir(path: string): boolean {
    if (path !== "" && this.ignores(path)) return false;
    return this.bases.some(({ base, depth }) => {
      if (base === "" || path === "") return path === "" || depth >= path.split("/").length;
      if (base === path || base.startsWith(`${path}/`)) return true;
      if (!path.startsWith(`${base}/`)) return false;
      return depth >= path.slice(base.length + 1).split("/").length;
    });
  }
}
