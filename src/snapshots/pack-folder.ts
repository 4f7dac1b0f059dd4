import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { create } from "tar";
import { BerthError } from "../errors/index.js";

/**
 * A declared data folder as one tar file (uncompressed: the archive around it is compressed). Regular
 * files and folders only, as a restore accepts nothing else: a link is refused here, at save, rather than
 * making a snapshot that cannot be restored.
 */
export async function packFolder(folder: string, file: string, what: string): Promise<void> {
  const members = walk(folder, "", what);
  await create({ file, cwd: folder, portable: true, noDirRecurse: true, mode: 0o600 }, members);
}

function walk(folder: string, prefix: string, what: string): string[] {
  return readdirSync(join(folder, prefix))
    .sort()
    .flatMap((name) => {
      const path = prefix ? `${prefix}/${name}` : name;
      const stat = lstatSync(join(folder, path));
      if (stat.isDirectory()) return [path, ...walk(folder, path, what)];
      if (stat.isFile()) return [path];
      throw new BerthError(
        "BERTH_DATA_NOT_REGULAR",
        `${what} holds ${path}, which is not a regular file (a link, a socket or a device)`,
        { hint: "a snapshot keeps regular files and folders only; move it out of the data folder" },
      );
    });
}
