import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { berth } from "./helpers/cli.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

const good = {
  "web/berth.yaml": `name: web
requires:
  api: { path: ../api }
env:
  API_URL: \${requires.api.url}
processes:
  site: { run: node site.js, port: auto, ready: { http: / } }
`,
  "api/berth.yaml": `name: api
requires:
  db: { provider: postgres }
env:
  DATABASE_URL: \${requires.db.url}
tasks:
  migrate: { run: npm run migrate, inputs: ["migrations/**"] }
processes:
  api: { run: node api.js, port: 4100, ready: { tcp: true } }
exports:
  url: http://127.0.0.1:\${processes.api.port}
`,
};

function setUp(files: Record<string, string> = good) {
  const dir = writeTree(files);
  return { dir, cwd: join(dir, "web"), home: join(tempDir(), "state") };
}

describe("berth validate", () => {
  it("says what it checked and exits 0", () => {
    const { cwd, home } = setUp();
    const result = berth(["validate"], { cwd, home });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe("✓ 2 codebases valid: web, api\n");
    const json = JSON.parse(berth(["validate", "--json"], { cwd, home }).stdout);
    expect(json).toEqual({
      ok: true,
      codebases: [
        { name: "web", file: join(cwd, "berth.yaml") },
        { name: "api", file: expect.stringMatching(/api\/berth\.yaml$/) },
      ],
      warnings: [],
    });
  });

  it("shows each problem with file:line:col, the line, a caret and a hint, never a stack", () => {
    const { cwd, home } = setUp({
      ...good,
      "web/berth.yaml": good["web/berth.yaml"].replace("api.url", "api.uri").replace("ready:", "redy:"),
    });
    const result = berth(["validate"], { cwd, home });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error berth.yaml:7:42 unknown key `redy` in `processes.site`\n");
    expect(result.stderr).toContain(
      "  7 │   site: { run: node site.js, port: auto, redy: { http: / } }\n    │                                          ^\n",
    );
    expect(result.stderr).toContain("hint: did you mean `ready`?");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("--json gives the errors as data", () => {
    const { cwd, home } = setUp({
      ...good,
      "web/berth.yaml": good["web/berth.yaml"].replace("api.url", "api.uri"),
    });
    const result = berth(["validate", "--json"], { cwd, home });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      errors: [
        {
          code: "BERTH_INTERPOLATION",
          message: "${requires.api.uri}: codebase `api` exports dir, url; not `uri`",
          hint: "did you mean `url`?",
          location: { file: join(cwd, "berth.yaml"), line: 5, col: 12 },
        },
      ],
    });
  });

  it("-C points at another folder; usage errors exit 2", () => {
    const { dir, home } = setUp();
    expect(berth(["-C", join(dir, "api"), "validate"], { cwd: dir, home }).stdout).toBe(
      "✓ 1 codebase valid: api\n",
    );
    expect(berth(["frobnicate"], { cwd: dir, home }).code).toBe(2);
    expect(berth(["validate", "--nope"], { cwd: dir, home }).code).toBe(2);
  });

  it("a bug is reported as a bug with exit 70, with its stack only under --debug", () => {
    const { cwd, home } = setUp();
    writeFileSync(home, "a file where the state folder should be");
    const result = berth(["trust"], { cwd, home });
    expect(result.code).toBe(70);
    expect(result.stderr).toMatch(/^bug Berth failed unexpectedly/);
    expect(result.stderr).toContain("--debug");
    expect(berth(["trust", "--debug"], { cwd, home }).stderr).toMatch(/\n\s+at /);
  });
});

describe("berth plan and graph", () => {
  it("plan prints numbered steps with what each waits for, and untrusted manifests", () => {
    const { cwd, home } = setUp();
    const result = berth(["plan"], { cwd, home });
    expect(result).toSucceed();
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Plan for api, web (7 steps)");
    expect(lines[1]).toMatch(/^ {2}1\. server:postgres +start the postgres server +starts at once$/);
    expect(result.stdout).toMatch(
      /7\. ready:web\/site +wait until web\/site is ready +after start:web\/site/,
    );
    expect(result.stdout).toContain(
      "untrusted berth.yaml: `berth up` will refuse it until you run `berth trust`",
    );
    const json = JSON.parse(berth(["plan", "--json", "api"], { cwd, home }).stdout);
    expect(json.codebases).toEqual(["api"]);
    expect(json.steps.map((step: { id: string }) => step.id)).toEqual([
      "server:postgres",
      "claim:api/db",
      "migrate:api",
      "start:api/api",
      "ready:api/api",
    ]);
  });

  it("graph prints text, dot and mermaid", () => {
    const { cwd, home } = setUp();
    expect(berth(["graph"], { cwd, home }).stdout).toBe("web\n└─ api: api\n   └─ db: postgres\n");
    const dot = berth(["graph", "--format", "dot"], { cwd, home }).stdout;
    expect(dot).toMatch(/^digraph berth \{/);
    expect(dot).toContain('"web" -> "api" [label="api"];');
    expect(dot).toContain('"api" -> "postgres" [label="db"];');
    const mermaid = berth(["graph", "--format", "mermaid"], { cwd, home }).stdout;
    expect(mermaid).toContain("web -->|api| api");
    expect(mermaid).toContain("api -->|db| provider_postgres");
    const bad = berth(["graph", "--format", "svg"], { cwd, home });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown graph format `svg`");
  });
});

describe("berth schema", () => {
  it("prints the JSON Schema, and the committed copy is current", () => {
    const { cwd, home } = setUp();
    const printed = berth(["schema"], { cwd, home }).stdout;
    const committed = readFileSync(join(import.meta.dirname, "..", "schema", "berth.schema.json"), "utf8");
    expect(printed, "schema/berth.schema.json is stale: run `berth schema > schema/berth.schema.json`").toBe(
      committed,
    );
    expect(JSON.parse(printed).required).toEqual(["name"]);
    const reference = berth(["schema", "--markdown"], { cwd, home }).stdout;
    const page = readFileSync(join(import.meta.dirname, "..", "docs", "manifest.md"), "utf8");
    expect(reference, "docs/manifest.md is stale: run `berth schema --markdown > docs/manifest.md`").toBe(
      page,
    );
    expect(page).toContain(
      "| `processes.<name>.ready.http` | string | ready when GET http://127.0.0.1:<port><path> answers 2xx or 3xx |",
    );
  });
});

describe("berth trust", () => {
  it("trusts the workspace's manifests, privately, and asks again when one changes", () => {
    const { cwd, home } = setUp();
    const trusted = berth(["trust"], { cwd, home });
    expect(trusted).toSucceed();
    expect(trusted.stdout).toContain("✓ trusted berth.yaml");
    expect(trusted.stdout).toContain("✓ trusted ../api/berth.yaml");
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, "trust.json")).mode & 0o777).toBe(0o600);
    expect(berth(["plan"], { cwd, home }).stdout).not.toContain("untrusted");
    expect(berth(["trust"], { cwd, home }).stdout).toBe("already trusted; nothing changed\n");

    writeFileSync(join(cwd, "berth.yaml"), `${readFileSync(join(cwd, "berth.yaml"), "utf8")}# changed\n`);
    const plan = berth(["plan", "--json"], { cwd, home });
    expect(JSON.parse(plan.stdout).untrusted).toEqual([join(cwd, "berth.yaml")]);
    expect(berth(["trust", "berth.yaml"], { cwd, home }).stdout).toBe("✓ trusted berth.yaml\n");
    expect(JSON.parse(berth(["plan", "--json"], { cwd, home }).stdout).untrusted).toEqual([]);
  });
});

describe("berth link", () => {
  it("links and unlinks from the command line, and plan shows the link", () => {
    const { dir, cwd, home } = setUp({ ...good, "mine/api/berth.yaml": good["api/berth.yaml"] });
    expect(berth(["link", "api", "../mine/api"], { cwd, home }).stdout).toBe(
      `✓ api → ${join(dir, "mine", "api")}\n`,
    );
    expect(berth(["plan"], { cwd, home }).stdout).toContain(`linked api → ${join(dir, "mine", "api")}`);
    expect(berth(["links"], { cwd, home }).stdout).toBe(`api → ${join(dir, "mine", "api")}\n`);
    expect(berth(["unlink", "api"], { cwd, home }).stdout).toBe("✓ api is no longer linked\n");
    const again = berth(["unlink", "api"], { cwd, home });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("`api` is not linked in this workspace");
    const db = berth(["link", "db", "../mine/api"], { cwd: join(dir, "api"), home });
    expect(db.stderr).toContain("`db` is a postgres requirement; only codebases can be linked");
  });
});

describe("berth doctor", () => {
  it("checks node, the servers, the state folder, the ports and the supervisor, with a fix for each problem", async () => {
    const { cwd, home } = setUp();
    berth(["trust"], { cwd, home });
    const ok = berth(["doctor", "--json"], { cwd, home });
    const checks = JSON.parse(ok.stdout) as { name: string; ok: boolean; fix?: string }[];
    // Data folders of other, removed state folders on this machine are listed too, and fail nothing.
    expect(checks.map((check) => check.name).filter((name) => name !== "orphaned data")).toEqual([
      "node",
      "postgres",
      "mysql",
      "redis",
      "memcached",
      "state folder",
      "disk",
      "ports",
      "servers",
      "supervisor",
    ]);
    expect(ok).toSucceed();
    chmodSync(home, 0o755);
    writeFileSync(join(home, "supervisor.sock"), "");
    // api's fixed port 4100, held by a stranger (this test process), is named with its holder.
    const stranger = createServer();
    await new Promise<void>((resolve) => {
      stranger.once("error", () => resolve());
      stranger.listen(4100, "127.0.0.1", () => resolve());
    });
    const bad = berth(["doctor"], { cwd, home });
    stranger.close();
    expect(bad.stdout).toMatch(/✗ port +4100 \(api\/api\) is taken by /);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`✗ state folder  ${home} (mode 755)`);
    expect(bad.stdout).toContain(`fix: chmod 700 ${home}`);
    expect(bad.stdout).toContain("✗ supervisor    a stale socket is left by a supervisor that died");
  });
});

describe("berth destroy and down --volumes", () => {
  it("-v is down's --volumes, never --version; deleting data needs --yes, named in the hint", () => {
    const { cwd, home } = setUp();
    const version = berth(["--version"], { cwd, home });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(berth(["-v"], { cwd, home }).code).toBe(2);
    for (const args of [["down", "-v"], ["down", "--volumes"], ["destroy"], ["destroy", "--orphans"]]) {
      const refused = berth(args, { cwd, home });
      expect(refused.code, args.join(" ")).toBe(1);
      expect(refused.stdout).not.toMatch(/\d+\.\d+\.\d+/);
      expect(refused.stderr).toContain("nothing was deleted");
      expect(refused.stderr).toContain("pass --yes");
    }
  });
});
