import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../src/manifest/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../src/providers/index.js";

const src = join(import.meta.dirname, "..", "src");

/**
 * Where a provider kind may be named in code: its own file or folder (src/providers/), the kind list
 * (src/manifest/schema.ts), `berth init`'s detection of a project's databases (src/init/) and the renderings
 * of each kind for another engine (src/targets/: its image, healthcheck and claim init there). Unit tests
 * beside the code may name kinds for their fixtures.
 */
const ALLOWED = ["providers/", "manifest/schema.ts", "init/", "targets/"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The string literals in `source` that are exactly a provider kind: "postgres", 'redis', `mysql`. */
function kindLiterals(source: string): string[] {
  const kinds = PROVIDERS.join("|");
  return [...source.matchAll(new RegExp(`(["'\`])(${kinds})\\1`, "g"))].map((match) => match[0]);
}

describe("provider kinds", () => {
  it("are named in code only by the providers, the manifest's kind list, init and the targets", () => {
    const outside = sourceFiles(src)
      .map((file) => relative(src, file))
      .filter((file) => !ALLOWED.some((allowed) => file.startsWith(allowed)))
      .flatMap((file) =>
        kindLiterals(readFileSync(join(src, file), "utf8")).map((literal) => `${file}: ${literal}`),
      );
    expect(outside).toEqual([]);
  });

  it("the check finds a kind switch written anywhere", () => {
    expect(kindLiterals(`if (server.kind === "postgres") return;\ncase 'memcached':\n`)).toEqual([
      `"postgres"`,
      `'memcached'`,
    ]);
    expect(kindLiterals(`const url = "postgres://localhost"; // redis`)).toEqual([]);
  });

  it("every kind of the manifest has its one implementation", () => {
    expect(Object.keys(PROVIDER_IMPLEMENTATIONS).sort()).toEqual([...PROVIDERS].sort());
    for (const kind of PROVIDERS) expect(PROVIDER_IMPLEMENTATIONS[kind].kind).toBe(kind);
  });
});
