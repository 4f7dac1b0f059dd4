import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { berth } from "./helpers/cli.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";

const fixtures = join(import.meta.dirname, "fixtures", "export");
const examples = join(import.meta.dirname, "..", "examples");
/** BERTH_UPDATE_GOLDEN=1 rewrites the expected files from what is rendered now. */
const update = process.env.BERTH_UPDATE_GOLDEN === "1";

/** A copy of a folder of codebases, and an empty `out/` beside them for the Compose file. */
function copyCodebases(from: string): string {
  const dir = tempDir("berth-export-");
  for (const codebase of readdirSync(from))
    cpSync(join(from, codebase), join(dir, codebase), {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  mkdirSync(join(dir, "out"));
  return dir;
}

function exportCompose(dir: string, root: string, env: Record<string, string> = {}) {
  const result = berth(["export", "compose", "-o", "../out/compose.yaml"], {
    cwd: join(dir, root),
    home: join(dir, "home"),
    env,
  });
  expect(result.stderr + result.stdout, result.stderr).toContain("wrote ../out/compose.yaml");
  expect(result).toSucceed();
  return { ...result, yaml: readFileSync(join(dir, "out", "compose.yaml"), "utf8") };
}

function expectGolden(name: string, yaml: string): void {
  const file = join(fixtures, name, "compose.yaml");
  if (update) writeFileSync(file, yaml);
  expect(yaml).toBe(readFileSync(file, "utf8"));
}

/** Every file written beside the Compose file that holds a secret, with its mode. */
function sideFiles(dir: string): Map<string, { mode: number; content: string }> {
  const side = join(dir, "out", "berth-compose");
  const found = new Map<string, { mode: number; content: string }>();
  for (const entry of readdirSync(side, { recursive: true, encoding: "utf8" })) {
    const path = join(side, entry);
    if (statSync(path).isFile())
      found.set(entry, { mode: statSync(path).mode & 0o777, content: readFileSync(path, "utf8") });
  }
  return found;
}

function composeConfig(dir: string) {
  return spawnSync("docker-compose", ["-f", join(dir, "out", "compose.yaml"), "config", "-q"], {
    encoding: "utf8",
  });
}

describe("berth export compose", () => {
  it("renders the bundled example as its golden file, passwords beside it and never in it", () => {
    const dir = copyCodebases(examples);
    const { yaml } = exportCompose(dir, "web");
    expectGolden("example", yaml);
    const files = sideFiles(dir);
    const secrets = [...files].filter(([path]) => path.startsWith("secrets/"));
    expect(secrets.map(([path]) => path).sort()).toEqual([
      "secrets/ACCOUNTS__DB__PASSWORD",
      "secrets/CATALOG__DB__PASSWORD",
      "secrets/POSTGRES_15__ADMIN",
    ]);
    for (const [path, file] of files) {
      expect(file.mode, path).toBe(0o600);
      if (path.startsWith("secrets/")) expect(yaml).not.toContain(file.content);
    }
    expect(statSync(join(dir, "out", "berth-compose")).mode & 0o777).toBe(0o700);
    expect(files.get("catalog.env")?.content).toMatch(
      /^DATABASE_URL=postgres:\/\/catalog:[\w-]{32}@postgres-15:5432\/catalog$/m,
    );
  });

  it("renders every provider kind, a codebase claim and every probe kind as the golden file; a log probe is told", () => {
    const dir = copyCodebases(join(fixtures, "every-kind", "workspace"));
    const { yaml, stderr } = exportCompose(dir, "shop", { SHOP_REGION: "eu-west" });
    expectGolden("every-kind", yaml);
    expect(stderr).toContain("shop/mailer: a `log` readiness probe has no equivalent");
    expect(yaml).toContain('# ready: { log: "mailer up" } has no Compose healthcheck equivalent');
    const files = sideFiles(dir);
    expect(files.get("shop.env")?.content).toContain("API_KEY=from-the-env-file\n");
    expect(files.get("shop.env")?.content).toContain("REGION=eu-west\n");
    expect(yaml).not.toContain("from-the-env-file");
    expect(yaml).not.toContain("eu-west");
    // A rendered `files:` entry holds the database password: it is written 0600 like the env files.
    expect(files.get("files/shop/settings")).toMatchObject({ mode: 0o600 });
    expect(files.get("files/shop/settings")?.content).toMatch(/^region: eu-west$/m);
  });

  it("keeps the passwords of an earlier export, so the databases it made still open", () => {
    const dir = copyCodebases(examples);
    exportCompose(dir, "web");
    const first = sideFiles(dir).get("secrets/CATALOG__DB__PASSWORD")?.content;
    exportCompose(dir, "web");
    expect(sideFiles(dir).get("secrets/CATALOG__DB__PASSWORD")?.content).toBe(first);
  });

  it("prints to stdout by default, with berth-compose/ in the current folder", () => {
    const dir = copyCodebases(examples);
    const result = berth(["export", "compose", "accounts"], {
      cwd: join(dir, "web"),
      home: join(dir, "home"),
    });
    expect(result).toSucceed();
    expect(result.stdout).toContain("  accounts-api:");
    expect(result.stdout).not.toContain("catalog-api:");
    expect(
      statSync(join(dir, "web", "berth-compose", "secrets", "ACCOUNTS__DB__PASSWORD")).mode & 0o777,
    ).toBe(0o600);
  });

  it("refuses a codebase with processes and no container, naming the file, the line and the key to add", () => {
    const dir = tempDir("berth-export-");
    writeFileSync(
      join(dir, "berth.yaml"),
      "name: bare\nprocesses:\n  web: { run: node server.js, port: 3000 }\n",
    );
    const result = berth(["export", "compose"], { cwd: dir, home: join(dir, "home") });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("berth.yaml:1:1");
    expect(result.stderr).toContain("container: { build: . }");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  itWith(["docker-compose"], "passes docker-compose config -q for the example and every kind", () => {
    const example = copyCodebases(examples);
    exportCompose(example, "web");
    const everyKind = copyCodebases(join(fixtures, "every-kind", "workspace"));
    exportCompose(everyKind, "shop", { SHOP_REGION: "eu-west" });
    for (const dir of [example, everyKind]) {
      const result = composeConfig(dir);
      expect(result.stderr.replace(/.*'configs' key.*\n?/g, ""), result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
    // The validator is not a rubber stamp: a broken file fails it.
    writeFileSync(join(example, "out", "compose.yaml"), "services:\n  a:\n    restart: no\n");
    expect(composeConfig(example).status).not.toBe(0);
  });
});
