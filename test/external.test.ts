import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { berth } from "./helpers/cli.js";
import { programs, runtimeWorkspace, spawnBerth, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

const PASSWORD = "legacy-s3cret-pw";
const TOKEN = "tok-4f9a1c7e2b";

/** A port nothing listens on now: the legacy server is started on it later, or never. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * "The legacy stack": an HTTP server answering every path (as Elasticsearch answers its health path), in a
 * process of its own, since the CLI is run synchronously from this one.
 */
async function legacySearch(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [`${programs}/server.js`], {
    env: { ...process.env, PORT: String(port), NAME: "legacy-search" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await until(() => output.includes("listening"), 10_000, "the legacy server");
  return child;
}

/** A MariaDB server in a temporary folder, as a legacy stack's database: its user and database made at start. */
async function startLegacyMariadb(dir: string, port: number): Promise<ChildProcess> {
  const install = spawnSync(
    "mariadb-install-db",
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      "--user=root",
      "--auth-root-authentication-method=socket",
      "--skip-test-db",
    ],
    { encoding: "utf8" },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  writeFileSync(
    `${dir}/init.sql`,
    // One statement a line: an init file's statements are read line by line.
    `CREATE DATABASE edxapp;\nCREATE USER legacy@'%' IDENTIFIED BY '${PASSWORD}';\nGRANT ALL ON edxapp.* TO legacy@'%';\n`,
  );
  const server = spawn(
    "mariadbd",
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      "--user=root",
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${dir}/sock`,
      `--init-file=${dir}/init.sql`,
      "--skip-log-bin",
    ],
    { stdio: "ignore" },
  );
  return server;
}

const catalog = (searchPort: number, dbPort: number, timeout = "30s") => ({
  "web/berth.yaml": `name: catalog
requires:
  search:
    external: { url: "http://127.0.0.1:${searchPort}", token: "\${env.SEARCH_TOKEN}", shards: 3 }
    ready: { http: /_cluster/health, timeout: ${timeout} }
  legacy_db:
    external:
      url: "mysql://root:\${env.LEGACY_PW}@127.0.0.1:${dbPort}/edxapp"
      user: root
      password: "\${env.LEGACY_PW}"
env:
  SEARCH_URL: \${requires.search.url}
  SEARCH_HOST: \${requires.search.host}
  SEARCH_PORT: \${requires.search.port}
  SEARCH_SHARDS: \${requires.search.shards}
  SEARCH_TOKEN_SEEN: \${requires.search.token}
  DB_URL: \${requires.legacy_db.url}
  DB_ADDRESS: \${requires.legacy_db.host}:\${requires.legacy_db.port}
  DB_USER: \${requires.legacy_db.user}
  DB_PASSWORD: \${requires.legacy_db.password}
processes:
  api:
    run: node -e 'for (const k of ["SEARCH_URL","SEARCH_HOST","SEARCH_PORT","SEARCH_SHARDS","SEARCH_TOKEN_SEEN","DB_URL","DB_ADDRESS","DB_USER","DB_PASSWORD"]) console.log(k + "=" + process.env[k]); setInterval(() => {}, 1000)'
`,
});

const secretsEnv = { LEGACY_PW: PASSWORD, SEARCH_TOKEN: TOKEN };

describe("external requirements", () => {
  it("up waits for the legacy server with an explained wait, then hands on its url, host, port and extras, secrets masked", async () => {
    const searchPort = await freePort();
    const { dir, home, run } = runtimeWorkspace(catalog(searchPort, 3306));
    const up = spawnBerth(["up", "-d"], { cwd: `${dir}/web`, home, env: secretsEnv });
    let legacy: ChildProcess | undefined;
    try {
      // The legacy server starts only once `up` is seen waiting for it.
      await until(() => up.output().includes("waiting for search"), 20_000, "the explained wait");
      expect(up.output()).toContain(
        `catalog/api: waiting for search (external http://127.0.0.1:${searchPort}): http 127.0.0.1:${searchPort}/_cluster/health refused`,
      );
      legacy = await legacySearch(searchPort);
      const code = await new Promise<number | null>((resolve) => up.once("exit", resolve));
      expect(up.output()).toContain("✓ external:catalog/search");
      expect(code, up.output()).toBe(0);

      await until(() => run(["logs", "catalog/api"], "web", secretsEnv).stdout.includes("DB_PASSWORD="));
      const logs = run(["logs", "catalog/api"], "web", secretsEnv).stdout;
      expect(logs).toContain(`SEARCH_URL=http://127.0.0.1:${searchPort}`);
      expect(logs).toContain("SEARCH_HOST=127.0.0.1");
      expect(logs).toContain(`SEARCH_PORT=${searchPort}`);
      expect(logs).toContain("SEARCH_SHARDS=3");
      expect(logs).toContain("SEARCH_TOKEN_SEEN=****");
      expect(logs).toContain("DB_URL=mysql://root:****@127.0.0.1:3306/edxapp");
      expect(logs).toContain("DB_ADDRESS=127.0.0.1:3306");
      expect(logs).toContain("DB_USER=root");
      expect(logs).toContain("DB_PASSWORD=****");
      expect(logs).not.toContain(PASSWORD);
      expect(logs).not.toContain(TOKEN);

      const env = run(["env"], "web", secretsEnv);
      expect(env.stdout).toContain(`SEARCH_PORT=${searchPort}`);
      expect(env.stdout).toContain("DB_PASSWORD=****");
      expect(env.stdout).not.toContain(PASSWORD);
      expect(env.stdout).toContain(
        `# search (external): url=http://127.0.0.1:${searchPort} host=127.0.0.1 port=${searchPort} token=**** shards=3`,
      );
      expect(env.stdout).toContain(
        "# legacy_db (external): url=mysql://root:****@127.0.0.1:3306/edxapp host=127.0.0.1 port=3306 user=root password=****",
      );
      const shown = run(["env", "--show"], "web", secretsEnv);
      expect(shown.stdout).toContain(`DB_URL=mysql://root:${PASSWORD}@127.0.0.1:3306/edxapp`);

      // status: the external's own section, reachable or not (nothing listens on the legacy db's port).
      const status = run(["status"], "web", secretsEnv).stdout;
      expect(status).toMatch(/EXTERNAL\s+STATE\s+URL/);
      expect(status).toMatch(
        new RegExp(`catalog/search\\s+reachable\\s+http://127\\.0\\.0\\.1:${searchPort}\\s+http .* HTTP 200`),
      );
      expect(status).toMatch(/catalog\/legacy_db\s+unreachable\s+mysql:\/\/root:\*\*\*\*@127\.0\.0\.1:3306/);
      expect(status).not.toContain(PASSWORD);

      const saved = run(["snapshot", "save", "before"], "web", secretsEnv);
      expect(saved.code, saved.stderr).toBe(0);
      expect(saved.stdout).toContain("catalog/search (external): not captured; Berth does not own its data");
      expect(saved.stdout).toContain(
        "catalog/legacy_db (external): not captured; Berth does not own its data",
      );
    } finally {
      if (up.exitCode === null) up.kill("SIGINT");
      legacy?.kill();
    }
  }, 60_000);

  itWith(
    ["mysql", "mysql client"],
    "a MariaDB of the legacy stack, started after up began: migrate waits for it, then reaches it with the url, user and password handed on",
    async () => {
      const port = await freePort();
      const { dir, home, run } = runtimeWorkspace({
        "web/berth.yaml": `name: courses
requires:
  legacy_db:
    external:
      url: "mysql://legacy:\${env.LEGACY_PW}@127.0.0.1:${port}/edxapp"
      user: legacy
      password: "\${env.LEGACY_PW}"
      database: edxapp
    ready: { tcp: true, timeout: 60s }
env:
  DB_PASSWORD: \${requires.legacy_db.password}
tasks:
  migrate:
    run: >-
      echo "migrating as \${requires.legacy_db.user} with $DB_PASSWORD on \${requires.legacy_db.url}" &&
      mariadb -h \${requires.legacy_db.host} -P \${requires.legacy_db.port} -u \${requires.legacy_db.user}
      -p"$DB_PASSWORD" \${requires.legacy_db.database} -e "create table courses (id int); insert into courses values (42)"
`,
      });
      const legacy = tempDir();
      const up = spawnBerth(["up", "-d"], { cwd: `${dir}/web`, home, env: { LEGACY_PW: PASSWORD } });
      let server: ChildProcess | undefined;
      try {
        await until(() => up.output().includes("waiting for legacy_db"), 20_000, "the explained wait");
        expect(up.output()).toContain(
          `courses: waiting for legacy_db (external mysql://legacy:****@127.0.0.1:${port}/edxapp): tcp 127.0.0.1:${port} refused`,
        );
        server = await startLegacyMariadb(legacy, port);
        const code = await new Promise<number | null>((resolve) => up.once("exit", resolve));
        expect(code, up.output()).toBe(0);
        expect(up.output()).not.toContain(PASSWORD);
        const logs = run(["logs", "courses"], "web", { LEGACY_PW: PASSWORD }).stdout;
        expect(logs).toContain(
          `migrating as legacy with **** on mysql://legacy:****@127.0.0.1:${port}/edxapp`,
        );
        expect(logs).not.toContain(PASSWORD);
        const rows = spawnSync(
          "mariadb",
          ["-S", `${legacy}/sock`, "-u", "root", "-N", "-e", "select id from edxapp.courses"],
          {
            encoding: "utf8",
          },
        );
        expect(rows.stdout.trim()).toBe("42");
      } finally {
        if (up.exitCode === null) up.kill("SIGINT");
        server?.kill("SIGKILL");
      }
    },
    90_000,
  );

  it("a legacy server that never comes fails up after the probe's timeout, naming it, with a hint", async () => {
    const searchPort = await freePort();
    const { run } = runtimeWorkspace(catalog(searchPort, 3306, "2s"));
    const up = run(["up", "-d"], "web", secretsEnv);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain(
      `search (external http://127.0.0.1:${searchPort}) was not reachable in 2 s: http 127.0.0.1:${searchPort}/_cluster/health refused`,
    );
    expect(up.stderr).toContain("hint: Berth does not start an external");
    expect(up.stdout).toContain("start:catalog/api not run");
  }, 30_000);

  it("berth migrate waits for the codebase's externals as up does; link refuses an external", async () => {
    const port = await freePort();
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: catalog
requires:
  search: { external: { url: "http://127.0.0.1:${port}" }, ready: { tcp: true, timeout: 1s } }
tasks:
  migrate: { run: echo migrated }
`,
    });
    const migrate = run(["migrate"]);
    expect(migrate.code).not.toBe(0);
    expect(migrate.stdout).toContain("task:catalog/migrate not run: what it waits for failed");
    expect(migrate.stderr).toContain(`search (external http://127.0.0.1:${port}) was not reachable in 1 s`);
    const link = run(["link", "search", "."]);
    expect(link.code).not.toBe(0);
    expect(link.stderr).toContain("`search` is an external requirement (Berth does not run it)");
  }, 30_000);

  it("an exec probe gets the external's values as BERTH_EXTERNAL_*, and what it prints is masked", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: ex
requires:
  api:
    external: { url: "https://api.example.org", api_token: "\${env.SEARCH_TOKEN}" }
    ready:
      exec: 'test "$BERTH_EXTERNAL_API_TOKEN" = "$SEARCH_TOKEN" && test "$BERTH_EXTERNAL_PORT" = 443 && echo "saw $BERTH_EXTERNAL_API_TOKEN on $BERTH_EXTERNAL_HOST" >&2 && exit 3'
      timeout: 1s
processes:
  p: { run: sleep 100 }
`,
    });
    const up = run(["up", "-d"], "web", secretsEnv);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain("exit 3: saw **** on api.example.org");
    expect(up.stdout + up.stderr).not.toContain(TOKEN);
  }, 30_000);

  it("plan, graph and doctor show each external; doctor fails on an unreachable one with a fix", async () => {
    const searchPort = await freePort();
    const dir = writeTree(catalog(searchPort, 3306));
    const cli = (args: string[]) =>
      berth(args, { cwd: `${dir}/web`, home: `${dir}/state`, env: { ...secretsEnv, BERTH_TRUST: "1" } });

    const plan = cli(["plan"]).stdout;
    expect(plan).toMatch(
      /external:catalog\/search\s+wait until search \(external, not run by Berth\) answers/,
    );
    expect(plan).toMatch(/start:catalog\/api .*after external:catalog\/search, external:catalog\/legacy_db/);

    const graph = JSON.parse(cli(["graph", "--json"]).stdout) as { edges: object[] };
    expect(graph.edges).toContainEqual({
      from: "catalog",
      alias: "legacy_db",
      to: "external mysql://root:****@127.0.0.1:3306/edxapp",
      kind: "external",
    });
    expect(cli(["graph"]).stdout).toContain(`search: external http://127.0.0.1:${searchPort}`);
    expect(cli(["graph", "--format", "dot"]).stdout).toContain(
      `"external http://127.0.0.1:${searchPort}" [shape=hexagon, style=dashed];`,
    );
    expect(cli(["graph", "--format", "mermaid"]).stdout).toMatch(
      new RegExp(`catalog -->\\|search\\| external_external_http___127_0_0_1_${searchPort}`),
    );

    const down = cli(["doctor"]);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain(
      `✗ external      catalog: search (http://127.0.0.1:${searchPort}) not reachable: http 127.0.0.1:${searchPort}/_cluster/health refused`,
    );
    expect(down.stdout).toContain(`fix: start it: Berth does not run an external`);
    const legacy = await legacySearch(searchPort);
    try {
      const up = JSON.parse(cli(["doctor", "--json"]).stdout) as {
        name: string;
        ok: boolean;
        detail: string;
      }[];
      expect(up.find((check) => check.detail.startsWith("catalog: search"))).toMatchObject({
        name: "external",
        ok: true,
      });
    } finally {
      legacy.kill();
    }
  }, 30_000);

  it("bad external input is a positioned error with a hint", () => {
    const validate = (manifest: string) => {
      const dir = writeTree({ "berth.yaml": manifest });
      const result = berth(["validate"], { cwd: dir, home: `${dir}/state` });
      expect(result.code).toBe(1);
      return result.stderr;
    };
    const shape = validate(`name: bad
requires:
  a:
    external: { user: x }
`);
    expect(shape).toContain("error berth.yaml:4:15 `requires.a.external` is missing `url`");
    expect(shape).toContain("hint: add `url:`");

    const errors = validate(`name: bad
requires:
  b:
    external: { url: "localhost:9200" }
  c:
    external: { url: "http://127.0.0.1:70000" }
  d:
    external: { url: "http://127.0.0.1:9200" }
    ready: { log: started }
  e:
    external: { url: "http://127.0.0.1:1", host: x }
  f:
    external: { url: "mysql://root:\${env.PW}@127.0.0.1:99999/db" }
env:
  X: \${requires.d.nope}
`);
    expect(errors).toContain(
      'error berth.yaml:4:22 `requires.b.external.url`: "localhost:9200" is not a URL',
    );
    expect(errors).toContain("hint: write it as <scheme>://<host>:<port>");
    expect(errors).toContain("error berth.yaml:6:22 `requires.c.external.url`: port 70000 is out of range");
    expect(errors).toContain("hint: a port is a number from 1 to 65535");
    expect(errors).toContain("error berth.yaml:9:14 an external has no output to read");
    expect(errors).toContain("hint: use http (a path on its url), tcp: true or exec");
    expect(errors).toContain("error berth.yaml:11:44 `host` of an external comes from its url");
    expect(errors).toContain("error berth.yaml:13:22 `requires.f.external.url`: port 99999 is out of range");
    expect(errors).toContain(
      "error berth.yaml:15:6 ${requires.d.nope}: external `d` exports url, host, port; not `nope`",
    );
  });
});
