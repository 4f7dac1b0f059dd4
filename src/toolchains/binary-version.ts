import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface Known {
  /** What tells the file from its replacement: inode, size, modification time. */
  id: string;
  version: string | null;
}

let cache: { file: string; entries: Record<string, Known> } | undefined;

/**
 * The version a Node or Python binary reports, asked once per binary file and kept in the state folder:
 * running one costs tens of milliseconds, which a warm `up` should not pay again.
 */
export function binaryVersion(home: string, binary: string): string | undefined {
  const id = identity(binary);
  if (id === undefined) return undefined;
  const entries = load(join(home, "toolchains", "versions.json"));
  const known = entries[binary];
  if (known?.id === id) return known.version ?? undefined;
  const version = ask(binary);
  entries[binary] = { id, version: version ?? null };
  save();
  return version;
}

function ask(binary: string): string | undefined {
  try {
    const output = execFileSync(binary, binary.endsWith("node") ? ["--version"] : ["-V"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 5000,
    });
    return /(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
  } catch (error) {
    // Python 2 printed its version on stderr.
    const stderr = (error as { stderr?: unknown }).stderr;
    return typeof stderr === "string" ? /(\d+\.\d+(?:\.\d+)?)/.exec(stderr)?.[1] : undefined;
  }
}

function identity(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

function load(file: string): Record<string, Known> {
  if (cache?.file === file) return cache.entries;
  let entries: Record<string, Known> = {};
  try {
    entries = JSON.parse(readFileSync(file, "utf8")) as Record<string, Known>;
  } catch {
    entries = {};
  }
  cache = { file, entries };
  return entries;
}

function save(): void {
  if (!cache) return;
  try {
    mkdirSync(dirname(cache.file), { recursive: true, mode: 0o700 });
    writeFileSync(cache.file, JSON.stringify(cache.entries), { mode: 0o600 });
  } catch {
    // A cache that cannot be written costs a run of the binary next time, nothing more.
  }
}
