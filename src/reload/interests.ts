import { isAbsolute, relative, resolve, sep } from "node:path";
import { durationMs } from "../manifest/index.js";
import type { Registry } from "../processes/index.js";
import type { Interest } from "../watch/index.js";
import type { Codebase } from "../workspace/index.js";

/** How long changes must be quiet before a reload, unless a process's `watch_debounce` says less. */
export const DEFAULT_QUIET_MS = 300;

/** What is watched in one followed codebase's folder, and how. */
export interface FolderPlan {
  codebase: string;
  dir: string;
  interests: Interest[];
  /** The shortest `watch_debounce` of its watching processes, else the default. */
  quietMs: number;
  /** Never watched: Berth's state folder and the codebase's data folders. */
  ignoreDirs: string[];
}

/**
 * A followed codebase's interests: its manifest's files, its tasks' inputs (unless `watch: false`), and the
 * `watch` globs of its processes the supervisor runs (unless their watching is paused).
 */
export function folderPlan(codebase: Codebase, registry: Registry, paused: ReadonlySet<string>): FolderPlan {
  const { manifest, sources } = codebase.loaded;
  const interests: Interest[] = [
    { id: "manifest", globs: sources.flatMap((file) => inside(codebase, file)) },
  ];
  for (const [name, task] of Object.entries(manifest.tasks ?? {}))
    if (task.inputs?.length && task.watch !== false)
      interests.push({ id: `task:${name}`, globs: task.inputs });
  let quietMs = DEFAULT_QUIET_MS;
  for (const [name, process] of Object.entries(manifest.processes ?? {})) {
    if (!process.watch?.length || !registry.get(codebase.dir, name)) continue;
    if (paused.has(`${codebase.name}/${name}`)) continue;
    interests.push({
      id: `process:${name}`,
      globs: process.watch,
      ...(process.watch_ignore ? { ignore: process.watch_ignore } : {}),
    });
    quietMs = Math.min(quietMs, durationMs(process.watch_debounce, DEFAULT_QUIET_MS));
  }
  const ignoreDirs = [registry.home, ...(manifest.data ?? []).map((folder) => resolve(codebase.dir, folder))];
  return { codebase: codebase.name, dir: codebase.dir, interests, quietMs, ignoreDirs };
}

/** A file of the codebase as a glob relative to its folder; none when it lies outside. */
function inside(codebase: Codebase, file: string): string[] {
  const path = relative(codebase.dir, resolve(codebase.dir, file));
  if (path === "" || path.startsWith("..") || isAbsolute(path)) return [];
  return [path.split(sep).join("/")];
}
