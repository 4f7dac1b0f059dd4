import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { create, extract } from "tar";
import { tempDir } from "./temp.js";

/**
 * An exported snapshot archive changed as an attacker would: `change` edits the unpacked folder, then every
 * checksum and size in manifest.json is made right again, so only Berth's own rules stand in the way.
 */
export async function tamper(
  archive: string,
  change: (folder: string) => Promise<void> | void,
): Promise<string> {
  const folder = join(tempDir(), "unpacked");
  mkdirSync(folder);
  await extract({ file: archive, cwd: folder });
  await change(folder);
  const manifestFile = join(folder, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
    entries: { file: string; size: number; sha256: string }[];
  };
  for (const entry of manifest.entries) {
    const content = readFileSync(join(folder, entry.file));
    entry.size = content.length;
    entry.sha256 = createHash("sha256").update(content).digest("hex");
  }
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const out = join(tempDir(), "tampered.tar.gz");
  await create({ gzip: true, file: out, cwd: folder }, ["."]);
  return out;
}
