import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sqlMigrations } from "./helpers/manifests.js";
import { runtimeWorkspace, spawnBerth, status, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

/**
 * An HTTP app that counts its starts (one line per start in $STARTS, outside its folder) and answers what
 * its version.txt said when it started.
 */
const app = `const fs = require("node:fs");
fs.appendFileSync(process.env.STARTS, process.pid + "\\n");
const version = fs.existsSync("version.txt") ? fs.readFileSync("version.txt", "utf8").trim() : "none";
require("node:http").createServer((q, s) => s.end(version + " " + (process.env.GREETING ?? ""))).listen(Number(process.env.PORT), "127.0.0.1");
`;

/** A codebase whose `site` process is the app, watching `watch`; `extra` adds manifest lines. */
function appCodebase(name: string, watch: string, extra = ""): Record<string, string> {
  return {
    [`${name}/berth.yaml`]: `name: ${name}
${extra}processes:
  site: { run: node app.js, port: auto, ready: { http: / }, watch: ${watch}, watch_debounce: 100ms }
`,
    [`${name}/app.js`]: app,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many times a codebase's app started. */
function starts(dir: string, name: string): number {
  const file = join(dir, `starts-${name}.txt`);
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").length : 0;
}

const startsEnv = (name: string) => `env:\n  STARTS: "\${self.dir}/../starts-${name}.txt"\n`;

describe("following edits", () => {
  it("one save restarts once; a burst restarts once; ignored folders never; a file in a new nested folder does", async () => {
    const { dir, run } = runtimeWorkspace({
      ...appCodebase("web", '["**/*.js", "version.txt"]', startsEnv("web")),
      "web/.gitignore": "build/\n",
    });
    const web = join(dir, "web");
    expect(run(["up", "-d"])).toSucceed();
    expect(starts(dir, "web")).toBe(1);

    writeFileSync(join(web, "version.txt"), "v2\n");
    await until(() => starts(dir, "web") === 2, 10_000, "a restart after one save");
    await sleep(800);
    expect(starts(dir, "web")).toBe(2);

    for (let i = 0; i < 100; i++) writeFileSync(join(web, "lib.js"), `// ${i}\n`);
    await until(() => starts(dir, "web") === 3, 10_000, "a restart after 100 writes");
    await sleep(800);
    expect(starts(dir, "web")).toBe(3);

    for (const ignored of ["node_modules/x/index.js", ".git/hooks/x.js", "build/out.js"]) {
      mkdirSync(join(web, ignored, ".."), { recursive: true });
      writeFileSync(join(web, ignored), "// ignored\n");
    }
    await sleep(800);
    expect(starts(dir, "web")).toBe(3);

    mkdirSync(join(web, "a", "b"), { recursive: true });
    writeFileSync(join(web, "a", "b", "x.js"), "// new\n");
    await until(() => starts(dir, "web") === 4, 10_000, "a restart for a file in a new nested folder");

    const [site] = status(run);
    expect(site?.last_reload?.files).toEqual(["a/b/x.js"]);
    expect(site?.last_reload?.message).toMatch(
      /^web\/site {2}a\/b\/x\.js changed → restarted, ready \d+ ms$/,
    );
    const watched = JSON.parse(run(["watch", "--json"]).stdout);
    const interests = watched.folders[0].interests.map((interest: { id: string }) => interest.id);
    expect(interests).toEqual(expect.arrayContaining(["manifest", "process:site"]));
    const logs = run(["logs", "web/site", "--grep", "↻"]).stdout;
    expect(logs).toContain("a/b/x.js changed → restarted");
  });

  it("the attached up shows each reload; --no-watch follows nothing", async () => {
    const { dir, home, run } = runtimeWorkspace(appCodebase("web", '["*.js"]', startsEnv("web")));
    const attached = spawnBerth(["up"], { cwd: join(dir, "web"), home });
    try {
      await until(() => attached.output().includes("logs follow"), 20_000, "the attached up ready");
      await until(() => run(["watch", "--json"]).stdout.includes("process:site"), 10_000, "watching");
      writeFileSync(join(dir, "web", "app.js"), `${app}// edited\n`);
      await until(
        () => /↻ web\/site {2}app\.js changed → restarted, ready \d+ ms/.test(attached.output()),
        10_000,
        "the reload in the attached view",
      );
    } finally {
      attached.kill("SIGINT");
      await new Promise((resolve) => attached.once("exit", resolve));
    }
    expect(run(["up", "-d", "--no-watch"])).toSucceed();
    const before = starts(dir, "web");
    writeFileSync(join(dir, "web", "app.js"), `${app}// edited again\n`);
    await sleep(800);
    expect(starts(dir, "web")).toBe(before);
    expect(run(["watch"]).stdout).toContain("nothing is watched");
  });

  it("a linked checkout is watched instead of the folder it replaces", async () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nrequires:\n  api: { path: ../api }\n",
      ...appCodebase("api", '["*.js"]', startsEnv("api")),
      ...Object.fromEntries(
        Object.entries(appCodebase("api", '["*.js"]', startsEnv("api"))).map(([path, text]) => [
          path.replace(/^api/, "mine/api"),
          text,
        ]),
      ),
    });
    expect(run(["link", "api", "../mine/api"])).toSucceed();
    expect(run(["up", "-d"])).toSucceed();
    // Both write starts-api.txt beside their folder: the pinned one at dir/, the linked one at dir/mine/.
    expect(starts(join(dir, "mine"), "api")).toBe(1);
    writeFileSync(join(dir, "api", "app.js"), `${app}// not this one\n`);
    await sleep(800);
    expect(starts(join(dir, "mine"), "api")).toBe(1);
    writeFileSync(join(dir, "mine", "api", "app.js"), `${app}// this one\n`);
    await until(() => starts(join(dir, "mine"), "api") === 2, 10_000, "the linked checkout's restart");
    expect(starts(dir, "api")).toBe(0);
  });

  it("a consumer restarts when what it receives changes, not otherwise; cascade restarts it always", async () => {
    const api = (greeting: string) => `name: api
${startsEnv("api")}exports:
  greeting: ${greeting}
processes:
  site: { run: node app.js, port: auto, ready: { http: / }, watch: ["*.js"], watch_debounce: 100ms }
`;
    const consumer = (name: string, cascade: boolean) => ({
      [`${name}/berth.yaml`]: `name: ${name}
requires:
  api: { path: ../api${cascade ? ", cascade: true" : ""} }
env:
  STARTS: "\${self.dir}/../starts-${name}.txt"
  GREETING: \${requires.api.greeting}
processes:
  site: { run: node app.js, port: auto, ready: { http: / } }
`,
      [`${name}/app.js`]: app,
    });
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nrequires:\n  a: { path: ../plain }\n  b: { path: ../sticky }\n",
      "api/berth.yaml": api("hello"),
      "api/app.js": app,
      ...consumer("plain", false),
      ...consumer("sticky", true),
    });
    expect(run(["up", "-d"])).toSucceed();
    writeFileSync(join(dir, "api", "app.js"), `${app}// edited\n`);
    await until(() => starts(dir, "api") === 2, 10_000, "api's restart");
    await until(() => starts(dir, "sticky") === 2, 10_000, "the cascade consumer's restart");
    await sleep(800);
    expect(starts(dir, "plain")).toBe(1);

    // A crash restart of api, by the supervisor's restart policy, cascades the same way; --no-watch too.
    expect(run(["up", "-d", "--no-watch"])).toSucceed();
    const apiPid = status(run).find((row) => row.codebase === "api")?.pid ?? 0;
    process.kill(apiPid, "SIGKILL");
    await until(() => starts(dir, "api") === 3, 15_000, "api restarted by its policy");
    await until(() => starts(dir, "sticky") === 3, 15_000, "the cascade consumer's restart after the crash");
    expect(starts(dir, "plain")).toBe(1);
    expect(run(["up", "-d"])).toSucceed();

    writeFileSync(join(dir, "api", "berth.yaml"), api("bonjour"));
    await until(() => starts(dir, "plain") === 2, 10_000, "the consumer's restart for its changed env");
    expect(starts(dir, "api")).toBe(3);
    const plain = status(run).find((row) => row.codebase === "plain");
    const port = plain?.port;
    const answer = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(answer).toBe("none bonjour");
  });

  it("an edited manifest is applied when trusted: a changed process restarts, a removed one stops, a new one starts", async () => {
    const manifest = (processes: string) => `name: web
${startsEnv("web")}processes:
${processes}`;
    const site = (command: string) => `  site: { run: ${command}, port: auto, ready: { http: / } }\n`;
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": manifest(`${site("node app.js")}  old: { run: sleep 300 }\n`),
      "web/app.js": app,
    });
    const file = join(dir, "web", "berth.yaml");
    const env = { BERTH_TRUST: "" };
    expect(run(["trust"], "web", env)).toSucceed();
    expect(run(["up", "-d"], "web", env)).toSucceed();
    writeFileSync(file, manifest(`${site("node app.js changed")}  new: { run: sleep 300 }\n`));
    await sleep(1000);
    // Not trusted as it now is: nothing of it runs.
    expect(starts(dir, "web")).toBe(1);
    const names = () => status(run).map((row) => `${row.process}:${row.state}`);
    expect(names()).toEqual(["old:ready", "site:ready"]);
    expect(status(run).find((row) => row.process === "site")?.last_reload?.outcome).toBe("untrusted");
    expect(run(["trust"], "web", env)).toSucceed();
    await until(() => starts(dir, "web") === 2, 10_000, "the trusted manifest applied");
    await until(() => names().join() === "new:ready,site:ready", 10_000, "old stopped, new started");
  });

  it("a process writing into its own watched files stops being restarted, saying which files", async () => {
    // It writes a file it watches soon after it starts (a generated module, a cache).
    const writer = `setTimeout(() => require("node:fs").writeFileSync("gen.js", "// " + Date.now() + "\\n"), 200);\n${app}`;
    const { dir, run } = runtimeWorkspace({
      ...appCodebase("web", '["*.js"]', startsEnv("web")),
      "web/app.js": writer,
    });
    expect(run(["up", "-d"])).toSucceed();
    await until(
      () => JSON.stringify(JSON.parse(run(["watch", "--json"]).stdout).folders[0].paused).includes("gen.js"),
      30_000,
      "watching paused",
    );
    const count = starts(dir, "web");
    expect(count).toBeGreaterThanOrEqual(5);
    await sleep(1000);
    expect(starts(dir, "web")).toBe(count);
    expect(status(run)[0]?.state).toBe("ready");
    expect(run(["watch"]).stdout).toMatch(/watching paused.*gen\.js.*berth restart web\/site/);
  });

  itWith(
    ["postgres", "psql"],
    "a new migration runs migrate, then restarts the API; a failing one keeps it running, and a fix is retried",
    async () => {
      const { dir, run } = runtimeWorkspace({
        "web/berth.yaml": `name: web
requires:
  db: { provider: postgres }
env:
  DATABASE_URL: \${requires.db.url}
  STARTS: "\${self.dir}/../starts-web.txt"
tasks:
  migrate: ${sqlMigrations}
processes:
  site: { run: node app.js, port: auto, ready: { http: / } }
`,
        "web/app.js": app,
        "web/migrations/001.sql": "create table if not exists one (id int);\n",
      });
      const web = join(dir, "web");
      const site = () => status(run).find((row) => row.process === "site");
      const tables = () =>
        run([
          "exec",
          "web",
          "--",
          "sh",
          "-c",
          `psql "$DATABASE_URL" -Atc "select string_agg(tablename, ',' order by tablename) from pg_tables where schemaname = 'public'"`,
        ]).stdout.trim();
      expect(run(["up", "-d"])).toSucceed();
      expect(tables()).toBe("one");

      writeFileSync(join(web, "migrations", "002.sql"), "create table if not exists two (id int);\n");
      await until(() => starts(dir, "web") === 2, 20_000, "the API restarted after migrate");
      expect(tables()).toBe("one,two");

      writeFileSync(join(web, "migrations", "003.sql"), "create tabel three (id int);\n");
      await until(() => site()?.last_reload?.outcome === "failed", 20_000, "the failed migration reported");
      expect(site()?.state).toBe("ready");
      expect(site()?.last_reload?.message).toMatch(/migrate:web failed.*web\/site runs the code as before/);
      expect(starts(dir, "web")).toBe(2);

      writeFileSync(join(web, "migrations", "003.sql"), "create table if not exists three (id int);\n");
      await until(() => starts(dir, "web") === 3, 20_000, "the fixed migration retried");
      expect(tables()).toBe("one,three,two");
    },
    90_000,
  );
});

describe("following edits, when things go wrong", () => {
  it("an edited manifest that does not load is reported with its place; what runs goes on, and a fix applies", async () => {
    const manifest = (command: string) => `name: web
${startsEnv("web")}processes:
  site: { run: ${command}, port: auto, ready: { http: / } }
`;
    const { dir, home } = runtimeWorkspace({ "web/berth.yaml": manifest("node app.js"), "web/app.js": app });
    const file = join(dir, "web", "berth.yaml");
    const attached = spawnBerth(["up"], { cwd: join(dir, "web"), home });
    try {
      await until(() => attached.output().includes("logs follow"), 20_000, "the attached up ready");
      writeFileSync(file, `${manifest("node app.js")}  broken: { run: [unclosed\n`);
      await until(() => attached.output().includes("not applied: "), 10_000, "the invalid manifest reported");
      expect(attached.output()).toMatch(/berth\.yaml changed → not applied: .*berth\.yaml:\d+:\d+: /);
      expect(starts(dir, "web")).toBe(1);
      writeFileSync(file, manifest("node app.js fixed"));
      await until(() => starts(dir, "web") === 2, 10_000, "the fixed manifest applied");
    } finally {
      attached.kill("SIGINT");
      await new Promise((resolve) => attached.once("exit", resolve));
    }
  });

  it("a changed input of install runs it, then restarts the codebase's processes", async () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
${startsEnv("web")}tasks:
  install: { run: "cat deps.txt >> ../installs.txt", inputs: [deps.txt] }
processes:
  site: { run: node app.js, port: auto, ready: { http: / } }
`,
      "web/app.js": app,
      "web/deps.txt": "a\n",
    });
    expect(run(["up", "-d"])).toSucceed();
    writeFileSync(join(dir, "web", "deps.txt"), "b\n");
    await until(() => starts(dir, "web") === 2, 10_000, "the restart after install");
    expect(readFileSync(join(dir, "installs.txt"), "utf8")).toBe("a\nb\n");
    const site = status(run).find((row) => row.process === "site");
    expect(site?.last_reload?.message).toMatch(
      /^web {2}deps\.txt changed → install ran, web\/site restarted, ready/,
    );
  });

  it("a process that crashed is started again by the edit that fixes it", async () => {
    const crashing = `if (require("node:fs").existsSync("broken")) process.exit(3);\n${app}`;
    const { dir, run } = runtimeWorkspace({
      ...appCodebase("web", '["*.js"]', startsEnv("web")),
      "web/app.js": crashing,
      "web/broken": "",
    });
    expect(run(["up", "-d", "--timeout", "5s"]).code).not.toBe(0);
    rmSync(join(dir, "web", "broken"));
    writeFileSync(join(dir, "web", "app.js"), `${crashing}// fixed\n`);
    await until(() => starts(dir, "web") === 1, 20_000, "the fixed process started");
    await until(() => status(run)[0]?.state === "ready", 10_000, "ready");
  });

  it("a task with watch: false is not run again when its inputs change", async () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
${startsEnv("web")}tasks:
  install: { run: "echo x >> ../installs.txt", inputs: [deps.txt], watch: false }
processes:
  site: { run: node app.js, port: auto, ready: { http: / } }
`,
      "web/app.js": app,
      "web/deps.txt": "a\n",
    });
    expect(run(["up", "-d"])).toSucceed();
    writeFileSync(join(dir, "web", "deps.txt"), "b\n");
    await sleep(1000);
    expect(readFileSync(join(dir, "installs.txt"), "utf8")).toBe("x\n");
    expect(starts(dir, "web")).toBe(1);
  });
});
