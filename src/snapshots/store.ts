import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { BerthError } from "../errors/index.js";
import { PROVIDERS, unknownNameError } from "../manifest/index.js";
import { ensurePrivateDir } from "../state/index.js";
import { packArchive, unpackArchive } from "./archive.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A file of the snapshot: a relative path of plain segments, never `..`. */
const FILE = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._@:-]+(?:\/[A-Za-z0-9._@:-]+)*$/;

/** As a manifest names codebases, and requirements by alias (src/manifest/schema.ts). */
const CODEBASE = /^[a-z][a-z0-9-]*$/;
const ALIAS = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** `data:<folder>` as the manifest lists it; a restore also checks it is listed and stays inside. */
const DATA_FOLDER = /^data:[^\0]{1,1024}$/;
const SECRETS_WHAT = "secrets:generated";

const entrySchema = z
  .strictObject({
    codebase: z.string().regex(CODEBASE),
    /** A claim's alias, `data:<folder>` for a declared data folder, or `secrets:generated`. */
    what: z.string(),
    kind: z.enum([...PROVIDERS, "folder", "secrets"]),
    file: z.string().regex(FILE),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .refine(
    ({ what, kind }) =>
      kind === "folder"
        ? DATA_FOLDER.test(what)
        : kind === "secrets"
          ? what === SECRETS_WHAT
          : ALIAS.test(what),
    { error: "`what` does not fit its kind (an alias, data:<folder> or secrets:generated)", path: ["what"] },
  );

/** `<codebase>#<alias>` of a claim, `<codebase>#<task>` of a task (a claim task's is `claim:<consumer>`). */
const CLAIM_KEY = /^[a-z][a-z0-9-]*#[A-Za-z_][A-Za-z0-9_-]*$/;
const TASK_KEY = /^[a-z][a-z0-9-]*#(?:[A-Za-z_][A-Za-z0-9_-]*|claim:[a-z][a-z0-9-]*)$/;

/** What `manifest.json` of a snapshot says; read from an archive, so parsed, never cast. */
const manifestSchema = z
  .strictObject({
    name: z.string().regex(NAME),
    created: z.string().max(64),
    berth: z.string().max(64),
    codebases: z.array(z.string().regex(CODEBASE)),
    entries: z.array(entrySchema),
    /** Outputs of codebase claims as they were when the data was saved: `<consumer>#<alias>` → outputs. */
    claims: z
      .record(z.string().regex(CLAIM_KEY), z.record(z.string().regex(ALIAS), z.string().max(4096)))
      .optional(),
    /** Tasks done on the saved data, with their keys less the data's identity: `<codebase>#<task>` → key. */
    tasks: z.record(z.string().regex(TASK_KEY), z.string().max(256)).optional(),
  })
  .refine(({ codebases, entries }) => entries.every((entry) => codebases.includes(entry.codebase)), {
    error: "an entry belongs to a codebase the snapshot does not list",
    path: ["entries"],
  });

export type SnapshotEntry = z.infer<typeof entrySchema>;
export type SnapshotManifest = z.infer<typeof manifestSchema>;

/** The manifest of a snapshot folder, checked against its schema. */
function readManifest(folder: string, what: string): SnapshotManifest {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
  } catch (error) {
    throw new BerthError("BERTH_SNAPSHOT_CORRUPT", `${what} has no readable manifest.json`, {
      hint: "it is not a snapshot of `berth snapshot save`, or it was damaged",
      cause: error,
    });
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BerthError(
      "BERTH_SNAPSHOT_CORRUPT",
      `${what}: manifest.json is not valid at ${issue?.path.join(".") || "its top"}: ${issue?.message ?? "invalid"}`,
      { hint: "it is not a snapshot of `berth snapshot save`, or it was changed" },
    );
  }
  return parsed.data;
}

export function snapshotsDir(home: string): string {
  return ensurePrivateDir(join(home, "snapshots"));
}

export function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new BerthError("BERTH_SNAPSHOT_NAME", `\`${name}\` is not a snapshot name`, {
      hint: "use letters, digits, ., _ and -",
    });
  }
}

/** Streamed: a dump may be larger than memory should hold, and the supervisor keeps serving meanwhile. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  // One buffer, read into again and again: a stream's new buffer per chunk costs half as much CPU again.
  const buffer = Buffer.allocUnsafe(1 << 20);
  const handle = await open(file, "r");
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return hash.digest("hex");
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/**
 * Builds a snapshot in a temporary folder beside the others and renames it into place only when complete,
 * so an interrupted save leaves no half snapshot under its name.
 */
export async function writeSnapshot(
  home: string,
  name: string,
  fill: (folder: string) => Promise<Omit<SnapshotManifest, "name" | "created" | "berth">>,
): Promise<SnapshotManifest> {
  checkName(name);
  const root = snapshotsDir(home);
  const target = join(root, name);
  if (existsSync(target))
    throw new BerthError("BERTH_SNAPSHOT_EXISTS", `a snapshot named \`${name}\` exists`, {
      hint: `choose another name, or \`berth snapshot rm ${name}\` first`,
    });
  const folder = mkdtempSync(join(root, `.partial-${name}-`));
  try {
    const content = await fill(folder);
    const manifest: SnapshotManifest = {
      name,
      created: new Date().toISOString(),
      berth: "0.1.0",
      ...content,
    };
    writeFileSync(join(folder, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    renameSync(folder, target);
    return manifest;
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

export function readSnapshot(home: string, name: string): { folder: string; manifest: SnapshotManifest } {
  checkName(name);
  const folder = join(snapshotsDir(home), name);
  if (!existsSync(join(folder, "manifest.json"))) {
    throw unknownNameError({
      what: "snapshot",
      name,
      known: listSnapshots(home).map((snapshot) => snapshot.name),
      within: "this state folder",
      none: "`berth snapshot save <name>` makes one",
      code: "BERTH_SNAPSHOT_MISSING",
    });
  }
  return { folder, manifest: readManifest(folder, `snapshot ${name}`) };
}

/** Throws unless every file the manifest lists is there, unchanged, and nothing else is. */
export async function verifySnapshot(folder: string, manifest: SnapshotManifest): Promise<void> {
  const listed = new Set(["manifest.json", ...manifest.entries.map((entry) => entry.file)]);
  for (const entry of manifest.entries) {
    const file = join(folder, entry.file);
    if (!lstatSync(file, { throwIfNoEntry: false })?.isFile()) {
      throw new BerthError("BERTH_SNAPSHOT_CORRUPT", `snapshot ${manifest.name} lacks ${entry.file}`, {
        hint: "it is incomplete; take it again or import a sound copy",
      });
    }
    if ((await sha256File(file)) !== entry.sha256) {
      throw new BerthError(
        "BERTH_SNAPSHOT_CORRUPT",
        `snapshot ${manifest.name}: ${entry.file} does not match its checksum`,
        { hint: "the archive was damaged or changed; nothing of the current data was touched" },
      );
    }
  }
  for (const file of walk(folder)) {
    if (!listed.has(file))
      throw new BerthError(
        "BERTH_SNAPSHOT_CORRUPT",
        `snapshot ${manifest.name} holds ${file}, which its manifest does not list`,
        { hint: "refusing an archive with unexpected content" },
      );
  }
}

function walk(folder: string, prefix = ""): string[] {
  return readdirSync(join(folder, prefix)).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry}` : entry;
    return lstatSync(join(folder, path)).isDirectory() ? walk(folder, path) : [path];
  });
}

export function listSnapshots(home: string): (SnapshotManifest & { size: number })[] {
  const root = snapshotsDir(home);
  return readdirSync(root)
    .filter((entry) => !entry.startsWith(".") && existsSync(join(root, entry, "manifest.json")))
    .map((entry) => {
      const manifest = readManifest(join(root, entry), `snapshot ${entry}`);
      return { ...manifest, size: manifest.entries.reduce((sum, item) => sum + item.size, 0) };
    })
    .sort((a, b) => a.created.localeCompare(b.created));
}

export function removeSnapshot(home: string, name: string): void {
  const { folder } = readSnapshot(home, name);
  rmSync(folder, { recursive: true, force: true });
}

/** One compressed archive of a snapshot, for a colleague; readable by its owner only, as the data is. */
export async function exportSnapshot(home: string, name: string, file: string): Promise<void> {
  const { folder, manifest } = readSnapshot(home, name);
  await verifySnapshot(folder, manifest);
  await packArchive(folder, ["manifest.json", ...manifest.entries.map((entry) => entry.file)], file);
}

/** Unpacks an untrusted archive into the empty `folder` and verifies it: its manifest, every checksum. */
export async function unpackVerified(file: string, folder: string): Promise<SnapshotManifest> {
  await unpackArchive(file, folder);
  const manifest = readManifest(folder, file);
  await verifySnapshot(folder, manifest);
  return manifest;
}

/** Unpacks an exported archive aside, verifies every checksum, and only then adds it under its name. */
export async function importSnapshot(home: string, file: string, name?: string): Promise<SnapshotManifest> {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile())
    throw new BerthError("BERTH_SNAPSHOT_MISSING", `${file} is not found`, {
      hint: "give the path of a file made by `berth snapshot export <name> <file>`",
    });
  const root = snapshotsDir(home);
  const folder = mkdtempSync(join(root, ".import-"));
  try {
    const manifest = await unpackVerified(file, folder);
    const finalName = name ?? manifest.name;
    checkName(finalName);
    if (existsSync(join(root, finalName)))
      throw new BerthError("BERTH_SNAPSHOT_EXISTS", `a snapshot named \`${finalName}\` exists`, {
        hint: "give the import another name: berth snapshot import <file> <name>",
      });
    const renamed = { ...manifest, name: finalName };
    writeFileSync(join(folder, "manifest.json"), `${JSON.stringify(renamed, null, 2)}\n`, { mode: 0o600 });
    renameSync(folder, join(root, finalName));
    return renamed;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
