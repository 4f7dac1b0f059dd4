import { accessSync, constants } from "node:fs";
import { join } from "node:path";

/** The first executable named `name` on PATH (and the sbin folders, where Debian puts servers). */
export function onPath(name: string): string | undefined {
  const folders = [
    ...(process.env.PATH ?? "").split(":"),
    "/usr/sbin",
    "/usr/local/sbin",
    "/opt/homebrew/bin",
  ];
  for (const folder of folders) {
    if (!folder) continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
