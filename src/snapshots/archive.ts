import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, type WriteStream } from "node:fs";
import { chmod } from "node:fs/promises";
import { dirname, join } from "node:path";
import { create, Parser, type ReadEntry } from "tar";
import { BerthError } from "../errors/index.js";

/**
 * Snapshot archives come from other people: they are read with the `tar` package, which hands over each
 * member's type and size from its header as the archive streams, so a link, a device or an oversized
 * member is refused before a byte of it is written (a listing of the `tar` binary gives only text to
 * parse, and its flags differ between GNU tar and macOS's bsdtar).
 */

/** The unpacked size above which an archive is refused, unless `BERTH_SNAPSHOT_MAX_SIZE` says otherwise. */
export const DEFAULT_MAX_UNPACKED = 2 * 1024 ** 3;
/**
 * How many times its own size an archive may unpack to, unless `BERTH_SNAPSHOT_MAX_RATIO` says otherwise:
 * dumps compress 5 to 20 times, a bomb of zeros about 1000 times. Below `RATIO_FLOOR` unpacked, any ratio
 * is taken (a small snapshot of repetitive rows is no threat).
 */
export const DEFAULT_MAX_RATIO = 200;
const RATIO_FLOOR = 64 * 1024 ** 2;
const MAX_MEMBERS = 100_000;
const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i;

/** `BERTH_SNAPSHOT_MAX_SIZE` (bytes, or with a unit: 500M, 20G), else the default. */
export function maxUnpackedSize(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.BERTH_SNAPSHOT_MAX_SIZE?.trim();
  if (!text) return DEFAULT_MAX_UNPACKED;
  const match = SIZE.exec(text);
  if (!match)
    throw new BerthError("BERTH_SNAPSHOT_MAX_SIZE", `BERTH_SNAPSHOT_MAX_SIZE=${text} is not a size`, {
      hint: "give bytes or a size with a unit, e.g. BERTH_SNAPSHOT_MAX_SIZE=20G",
    });
  const power = " kmgt".indexOf((match[2] ?? "").toLowerCase() || " ");
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/** `BERTH_SNAPSHOT_MAX_RATIO` (a number, e.g. 500), else the default. */
export function maxExpansionRatio(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.BERTH_SNAPSHOT_MAX_RATIO?.trim();
  if (!text) return DEFAULT_MAX_RATIO;
  const ratio = Number(text);
  if (!/^\d+(?:\.\d+)?$/.test(text) || !(ratio >= 1))
    throw new BerthError("BERTH_SNAPSHOT_MAX_RATIO", `BERTH_SNAPSHOT_MAX_RATIO=${text} is not a ratio`, {
      hint: "give how many times its size an archive may unpack to, e.g. BERTH_SNAPSHOT_MAX_RATIO=500",
    });
  return ratio;
}

/**
 * Unpacks an untrusted archive (gzipped or not) into the empty folder `into`: regular files and folders
 * only, every path inside `into`, at most `maxBytes` in all and `maxRatio` times the archive's size
 * (above 64 MiB). Anything else rejects with a BerthError; the
 * caller then removes `into`, so nothing is kept of a refused archive.
 */
export async function unpackArchive(
  file: string,
  into: string,
  {
    maxBytes = maxUnpackedSize(),
    maxRatio = maxExpansionRatio(),
    keepModes = false,
  }: { maxBytes?: number; maxRatio?: number; keepModes?: boolean } = {},
): Promise<string[]> {
  const refuse = (reason: string, hint = "ask for a new export; nothing was changed") =>
    new BerthError("BERTH_SNAPSHOT_CORRUPT", `${file} is refused: ${reason}`, { hint });
  const packed = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const maxExpanded = Math.max(packed * maxRatio, RATIO_FLOOR);
  const members: string[] = [];
  const writes: Promise<void>[] = [];
  const outputs: WriteStream[] = [];
  let total = 0;
  let count = 0;
  const directories: string[] = [];
  const parser = new Parser({ strict: true });
  const failed = settledLater(
    new Promise<never>((_, reject) => {
      parser.on("error", (error: Error) =>
        reject(error instanceof BerthError ? error : refuse(`it is damaged (${error.message})`)),
      );
    }),
  );
  parser.on("entry", (entry: ReadEntry) => {
    try {
      const path = memberPath(entry.path);
      if (path === undefined) throw refuse(`it holds a path outside its folder (${entry.path})`);
      if (entry.type !== "Directory" && !isRegular(entry))
        throw refuse(`its member ${entry.path} is a ${describe(entry.type)}, not a regular file`);
      count += 1;
      if (count > MAX_MEMBERS) throw refuse(`it holds more than ${MAX_MEMBERS} members`);
      total += entry.size;
      if (total > maxBytes)
        throw refuse(
          `it unpacks to more than ${maxBytes} bytes`,
          "if it is genuine, raise the limit: BERTH_SNAPSHOT_MAX_SIZE=<bytes, or e.g. 50G>",
        );
      if (total > maxExpanded)
        throw refuse(
          `it unpacks to more than ${maxRatio} times its own ${packed} bytes (an archive bomb?)`,
          "if it is genuine, raise the limit: BERTH_SNAPSHOT_MAX_RATIO=<ratio, e.g. 1000>",
        );
      if (path === "") return entry.resume();
      const target = join(into, path);
      if (entry.type === "Directory") {
        mkdirSync(target, { recursive: true, mode: 0o700 });
        if (keepModes) directories.push(target);
        return entry.resume();
      }
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      members.push(path);
      // `wx`: a member named twice is refused rather than written over.
      // A data folder's files keep their permission bits (never set-id, nor writable by others).
      const mode = keepModes && entry.mode !== undefined ? (entry.mode & 0o755) | 0o600 : 0o600;
      const output = createWriteStream(target, { flags: "wx", mode });
      outputs.push(output);
      writes.push(
        settledLater(
          new Promise<void>((resolve, reject) => {
            output.once("error", (error) =>
              reject(refuse(`its member ${path} cannot be written: ${error.message}`)),
            );
            // Set again once written: the supervisor's umask keeps what it creates private.
            output.once("close", () => (keepModes ? chmod(target, mode).then(resolve, reject) : resolve()));
          }),
        ),
      );
      entry.pipe(output);
    } catch (error) {
      parser.abort(error instanceof BerthError ? error : refuse(String(error)));
    }
  });
  const input = createReadStream(file);
  const done = settledLater(
    new Promise<void>((resolve, reject) => {
      parser.on("end", () => resolve());
      input.once("error", (error) => reject(refuse(`it cannot be read (${error.message})`)));
      input.pipe(parser);
    }),
  );
  try {
    await Promise.race([done, failed]);
    await Promise.race([Promise.all(writes), failed]);
  } catch (error) {
    // Every file still being written is closed first, so the caller's removal of `into` finds it whole.
    input.destroy();
    await Promise.all(outputs.map(closed));
    throw error;
  }
  await Promise.all(directories.map((directory) => chmod(directory, 0o755)));
  return members;
}

/** Writes `files` (paths relative to `folder`) as one gzipped archive, readable by its owner only. */
export async function packArchive(folder: string, files: readonly string[], file: string): Promise<void> {
  // A file already there keeps its mode when written over: it is replaced, so the archive is 0600 too.
  rmSync(file, { force: true });
  const output = createWriteStream(file, { flags: "wx", mode: 0o600 });
  const finished = new Promise<void>((resolve, reject) => {
    output.once("finish", () => resolve());
    output.once("error", reject);
  });
  create({ gzip: true, cwd: folder, portable: true }, [...files]).pipe(output);
  await finished;
}

/** Resolves once the stream's file is closed (destroying it if it is still open). */
function closed(output: WriteStream): Promise<void> {
  if (output.closed) return Promise.resolve();
  return new Promise((resolve) => {
    output.once("close", () => resolve());
    output.destroy();
  });
}

/** A promise awaited only later (or not at all, once another failed first): its rejection is not unhandled. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** The member's path relative to the archive's root, or undefined when it points outside. */
function memberPath(raw: string): string | undefined {
  if (raw.startsWith("/") || raw.includes("\\") || raw.includes("\0")) return undefined;
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.some((part) => part === "..")) return undefined;
  return parts.join("/");
}

function isRegular(entry: ReadEntry): boolean {
  return entry.type === "File" || entry.type === "OldFile" || entry.type === "ContiguousFile";
}

function describe(type: string): string {
  const names: Record<string, string> = {
    SymbolicLink: "symbolic link",
    Link: "hard link",
    CharacterDevice: "character device",
    BlockDevice: "block device",
    FIFO: "named pipe",
  };
  return names[type] ?? `member of type ${type}`;
}
