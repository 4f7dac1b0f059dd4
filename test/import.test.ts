import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ImportResult } from "../src/api/import.js";
import { validate } from "../src/api/validate.js";
import { loadCompose } from "../src/init/compose/load.js";
import { berth } from "./helpers/cli.js";
import { DEVSTACK, DEVSTACK_OVERLAYS, itWithDevstack } from "./helpers/devstack.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

const SHOP = join(import.meta.dirname, "fixtures", "compose", "shop");

const copy = (from: string) => {
  const dir = tempDir();
  cpSync(from, dir, { recursive: true });
  return dir;
};

const importJson = (cwd: string, args: string[], env: Record<string, string> = {}) => {
  const result = berth(["import", ...args, "--json"], { cwd, home: tempDir(), env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ImportResult;
};

/** Every draft validates; what it reports are the TODO commands, each at its `run:` line. */
async function validateAll(out: string, hostEnv: NodeJS.ProcessEnv = {}) {
  const todos = new Set<string>();
  const home = tempDir();
  for (const name of readdirSync(out)) {
    const { warnings } = await validate({ root: join(out, name), home, hostEnv });
    for (const warning of warnings) {
      expect(warning.code).toBe("BERTH_ENV_UNSET");
      expect(warning.message).toMatch(/^\$\{env\.TODO_[A-Z0-9_]+_COMMAND\} is used by/);
      const { file, line } = warning.location ?? { file: "", line: 0 };
      expect(readFileSync(file, "utf8").split("\n")[line - 1]).toMatch(/^ {4}run: "\$\{env\.TODO_/);
      todos.add(`${file}:${line}`);
    }
  }
  return todos;
}

const nonComment = (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n");

/** Our reading of Compose files against Debian's docker-compose (v1) `config`: services, env, ports, volumes, order, commands. */
function expectSameAsDockerCompose(dir: string, files: string[], environment: Record<string, string>): void {
  const result = spawnSync("docker-compose", [...files.flatMap((file) => ["-f", file]), "config"], {
    cwd: dir,
    encoding: "utf8",
    env: environment,
  });
  expect(result.status, result.stderr).toBe(0);
  const expected = parse(result.stdout).services as Record<string, Record<string, unknown>>;
  const ours = loadCompose(
    files.map((file) => join(dir, file)),
    environment,
  ).services;
  expect([...ours.keys()].sort()).toEqual(Object.keys(expected).sort());
  // `config` prints a Compose file again, so its `$` are written `$$`
  const unescapeDollars = (value: unknown) => String(value ?? "").replaceAll("$$", "$");
  for (const [name, { spec }] of ours) {
    const theirs = expected[name] as Record<string, Record<string, unknown> | unknown[] | string | undefined>;
    expect(Object.keys(spec.depends_on ?? {}).sort(), name).toEqual(
      Object.keys(theirs.depends_on ?? {}).sort(),
    );
    const environmentOf = (theirs.environment ?? {}) as Record<string, unknown>;
    expect(Object.keys(spec.environment ?? {}).sort(), name).toEqual(Object.keys(environmentOf).sort());
    // null and ${env.X}: read when Berth runs
    for (const [key, value] of Object.entries((spec.environment ?? {}) as Record<string, string | null>))
      if (value !== null && !value.includes("${env."))
        expect(unescapeDollars(environmentOf[key]), `${name} ${key}`).toBe(value);
    // docker-compose prints a port with a host address in the short syntax
    const ports = (list: unknown) =>
      ((list ?? []) as ({ published?: number; target: number } | string)[])
        .map((port) =>
          typeof port === "string"
            ? port
                .replace(/\/tcp$/, "")
                .split(":")
                .slice(-2)
                .join(":")
            : `${port.published}:${port.target}`,
        )
        .sort();
    expect(ports(spec.ports), name).toEqual(ports(theirs.ports));
    const targets = ((spec.volumes ?? []) as { target: string }[])
      .map((volume) => volume.target.replace(/\/$/, ""))
      .sort();
    const theirTargets = ((theirs.volumes ?? []) as string[])
      .map((volume) => (volume.split(":")[1] ?? volume).replace(/\/$/, ""))
      .sort();
    expect(targets, name).toEqual(theirTargets);
    expect(unescapeDollars(spec.command), name).toBe(unescapeDollars(theirs.command));
  }
}

describe("berth import: Open edX's devstack", () => {
  itWithDevstack(
    [],
    "40 services: 4 providers, 26 processes, 10 externals; 78 depends_on edges kept; drafts validate",
    async () => {
      const dir = copy(DEVSTACK);
      const { report, written, out } = importJson(dir, ["docker-compose.yml"], {
        PATH: process.env.PATH ?? "",
      });
      expect(out).toBe(join(dir, "berth-import"));
      expect(report.counts).toEqual({
        services: 40,
        providers: 4,
        processes: 26,
        externals: 10,
        dependsOn: 78,
        // the other 4 are between servers Berth does not run (kafka → zookeeper, ...): kept in the report
        dependsOnKept: 74,
        hostsRewritten: 21,
        todos: 13,
      });
      const byKind = (became: string) =>
        report.services.filter((service) => service.became === became).map((service) => service.service);
      expect(byKind("external").sort()).toEqual([
        "chrome",
        "coursegraph",
        "elasticsearch710",
        "firefox",
        "kafka",
        "kafka-control-center",
        "mongo",
        "opensearch12",
        "schema-registry",
        "zookeeper",
      ]);
      expect(
        report.services
          .filter((service) => service.became === "provider")
          .map((s) => `${s.service} ${s.provider} ${s.version}`),
      ).toEqual(["memcached memcached 1", "mysql57 mysql 5.7", "mysql80 mysql 8.0", "redis redis 7"]);
      const frontends = report.services.filter((service) =>
        service.notes.some((note) => note.includes("microfrontend.yml#microfrontend")),
      );
      expect(frontends).toHaveLength(13);
      expect(written).toHaveLength(25);

      const drafts = Object.fromEntries(
        written.map((file) => [file.split("/").at(-2), readFileSync(file, "utf8")]),
      );
      // mysql:5.7 and mysql:8.0 are two requirements, not one claim
      expect(drafts.lms).toContain('  mysql80: { provider: mysql, version: "8.0" }');
      // Two MySQL servers in Compose are one server natively: each requirement keeps its own database.
      expect(drafts.lms).toContain('  mysql57: { provider: mysql, version: "5.7", database: lms_mysql57 }');
      expect(drafts.lms).toContain(
        '  elasticsearch710: { external: { url: "http://127.0.0.1:9201" }, ready: { tcp: true } }',
      );
      expect(drafts["edx-notes-api"]).toContain(
        '  ELASTICSEARCH_URL: "http://${requires.elasticsearch710.host}:${requires.elasticsearch710.port}"',
      );
      expect(drafts["edx-notes-api"]).toContain(
        '  mysql80: { provider: mysql, version: "8.0", database: notes }',
      );
      expect(drafts["edx-notes-api"]).toContain('  DB_PASSWORD: "${requires.mysql80.password}"');
      // every edx.devstack.* host in the environment of a native service became a reference
      for (const text of Object.values(drafts))
        expect(nonComment(String(text))).not.toContain("edx.devstack.");
      // every depends_on edge: a requirement of the draft, or (4) a note between servers Berth does not run
      for (const service of report.services)
        for (const edge of service.dependsOn) {
          if (edge.kept === "requirement") {
            const alias = edge.detail.replace(/^requires\.(\S+) of .*$/, "$1");
            expect(drafts[service.codebase ?? ""]).toMatch(new RegExp(`^  ${alias}: `, "m"));
          } else expect(["kafka", "kafka-control-center", "schema-registry"]).toContain(service.service);
        }
      // the image-only commands are TODOs: each draft still validates, and validate names each TODO at its line
      const todos = await validateAll(join(dir, "berth-import"), { PATH: "/usr/bin" });
      expect(todos.size).toBe(13);
      expect(drafts.lms).toContain("# TODO(berth import): write the command that runs lms from this folder");
      expect(drafts["frontend-app-account"]).toContain(
        `    run: "bash -c 'npm ci || exit 1; while true; do npm start; sleep 2; done'"`,
      );
    },
  );

  itWithDevstack(
    [],
    "the 68 edx.devstack.* occurrences: 40 name services, 21 are rewritten, 7 go with the Kafka services' environment",
    () => {
      const text = readFileSync(join(DEVSTACK, "docker-compose.yml"), "utf8");
      const occurrences = nonComment(text).match(/edx\.devstack\.[A-Za-z0-9_-]+/g) ?? [];
      expect(occurrences).toHaveLength(68);
      const compose = loadCompose([join(DEVSTACK, "docker-compose.yml")], {});
      let names = 0;
      let inEnvironment = 0;
      let inExternals = 0;
      for (const service of compose.services.values()) {
        const aliases = Object.values(
          (service.spec.networks ?? {}) as Record<string, { aliases?: string[] }>,
        ).flatMap((network) => network.aliases ?? []);
        names += aliases.filter((name) => name.startsWith("edx.devstack.")).length;
        const found =
          Object.values((service.spec.environment ?? {}) as Record<string, string>)
            .join(" ")
            .match(/edx\.devstack\.[A-Za-z0-9_-]+/g)?.length ?? 0;
        inEnvironment += found;
        if (/confluentinc/.test(String(service.spec.image))) inExternals += found;
      }
      // the other container names are written edx.${COMPOSE_PROJECT_NAME:-devstack}.<name>
      const literalContainerNames = text.match(/container_name: "?edx\.devstack\./g)?.length ?? 0;
      expect({ names, literalContainerNames, inEnvironment, inExternals }).toEqual({
        names: 39,
        literalContainerNames: 1,
        inEnvironment: 28,
        inExternals: 7,
      });
    },
  );

  itWithDevstack(
    [],
    "with its overlays: services sharing a mounted source folder are one codebase, their order kept as a comment",
    async () => {
      const dir = copy(DEVSTACK);
      const overlays = DEVSTACK_OVERLAYS.flatMap((file) => ["-f", file]);
      const env = { DEVSTACK_WORKSPACE: join(dir, "workspace"), PATH: process.env.PATH ?? "" };
      const { report } = importJson(dir, ["docker-compose.yml", ...overlays, "-o", "drafts"], env);
      const shared = report.codebases.filter((codebase) => codebase.processes.length > 1);
      expect(shared.map((codebase) => [codebase.name, codebase.processes])).toEqual([
        ["edx-platform", ["lms", "cms", "lms_watcher", "cms_watcher"]],
        ["registrar", ["registrar", "registrar-worker"]],
        ["xqueue", ["xqueue", "xqueue_consumer"]],
      ]);
      expect(report.counts).toMatchObject({ services: 42, dependsOn: 78, dependsOnKept: 74 });
      const platform = readFileSync(join(dir, "drafts", "edx-platform", "berth.yaml"), "utf8");
      expect(platform).toContain(
        "# TODO(berth import): in Compose, cms starts after lms (service_started); Berth has no start order between processes of one codebase",
      );
      expect(platform).toContain(
        `# Compose mounted this codebase's code from ${join(dir, "workspace", "edx-platform")}.`,
      );
      await validateAll(join(dir, "drafts"), { PATH: "/usr/bin" });
    },
  );

  itWithDevstack(["docker-compose"], "merges the devstack's overlays as docker-compose config does", () => {
    const dir = copy(DEVSTACK);
    const environment = {
      DEVSTACK_WORKSPACE: join(dir, "workspace"),
      PWD: dir,
      PATH: process.env.PATH ?? "",
    };
    expectSameAsDockerCompose(dir, ["docker-compose.yml", ...DEVSTACK_OVERLAYS], environment);
  });
});

describe("berth import: Compose files of our own", () => {
  itWith(["docker-compose"], "merges overlays and extends as docker-compose config does", () => {
    const dir = copy(SHOP);
    expectSameAsDockerCompose(dir, ["docker-compose.yml", "docker-compose.override.yml"], {
      PATH: process.env.PATH ?? "",
      FROM_HOST: "x",
    });
  });

  it("overlay, extends, .env, depends_on forms; a report of every service; secrets masked; drafts validate", async () => {
    const dir = copy(SHOP);
    const result = berth(["import", "docker-compose.yml", "-f", "docker-compose.override.yml"], {
      cwd: dir,
      home: tempDir(),
      env: { DB_PASSWORD: "s3cr3t-pw" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "✓ wrote 3 drafts under berth-import/ from docker-compose.yml, docker-compose.override.yml",
    );
    expect(result.stdout).toContain(
      "7 services: 4 processes in 3 codebases, 2 providers, 1 external; 6 depends_on edges, 6 kept in the drafts",
    );
    for (const line of [
      "db → provider postgres 16",
      "cache → provider redis 7",
      "search → external http://127.0.0.1:19200",
      "api → process api/api",
      "worker → process api/worker",
      "    depends_on: db (service_healthy) → requirement, cache → requirement, search (service_healthy) → requirement",
      "    depends_on: api → order, db → requirement",
      "    dropped ports: 19229:9229/tcp (a process has one port)",
      "    dropped build: args (only the context is used, to group services)",
      "    dropped stdin_open: true",
      "    dropped healthcheck: test, interval",
      "    TODO: port 3000 is another process's too; this one gets port: auto, and its command must listen on $PORT",
      "    Compose published its port 8080 as 18080; natively it listens on 8080",
      "    env DATABASE_PASSWORD: **** → ${requires.db.password}",
      "    env REDIS_URL: redis://:****@cache:6379/0 → ${requires.cache.url}",
    ])
      expect(result.stdout).toContain(line);
    expect(result.stdout).not.toContain("s3cr3t-pw");
    expect(result.stdout).not.toMatch(/:secret@/);

    const api = readFileSync(join(dir, "berth-import", "api", "berth.yaml"), "utf8");
    expect(api).toContain(
      '  # Compose waited for service_healthy\n  db: { provider: postgres, version: "16", database: shop }',
    );
    expect(api).toContain(
      '  search: { external: { url: "http://127.0.0.1:19200" }, ready: { http: /_cluster/health } }',
    );
    expect(api).toContain("  GREETING: from-dotenv\n");
    // a provider's own URL is the claim's: its password and database index are Berth's, not the container's
    expect(api).toContain('  REDIS_URL: "${requires.cache.url}"');
    expect(api).toContain('  LITERAL: "$${NOT_A_VAR}"');
    expect(api).toContain('  FROM_HOST: "${env.FROM_HOST}"');
    expect(api).toContain("    run: node --inspect server.js --port 8080\n    port: 8080\n");
    expect(api).toContain("  # TODO(berth import): in Compose, worker starts after api (service_started)");
    const web = readFileSync(join(dir, "berth-import", "web", "berth.yaml"), "utf8");
    expect(web).toContain('  API_URL: "http://${requires.api.host}:${requires.api.port}"');
    expect(web).toContain("  api: { path: ../api }");
    expect(web).toContain("    run: npm run dev\n    port: 3000\n");
    const home = tempDir();
    for (const name of ["api", "web", "admin"]) {
      const { warnings } = await validate({
        root: join(dir, "berth-import", name),
        home,
        hostEnv: { FROM_HOST: "x" },
      });
      expect(warnings).toEqual([]);
    }
  });

  it("--json gives the report as data, secrets masked", () => {
    const dir = copy(SHOP);
    const { report } = importJson(dir, ["docker-compose.yml"], { DB_PASSWORD: "s3cr3t-pw" });
    expect(JSON.stringify(report)).not.toContain("s3cr3t-pw");
    const api = report.services.find((service) => service.service === "api");
    expect(api?.dependsOn.map((edge) => [edge.on, edge.condition, edge.kept])).toEqual([
      ["db", "service_healthy", "requirement"],
      ["cache", "service_started", "requirement"],
      ["search", "service_healthy", "requirement"],
    ]);
  });

  it("never overwrites a berth.yaml without --force, and writes nothing then", () => {
    const dir = copy(SHOP);
    const home = tempDir();
    expect(berth(["import", "docker-compose.yml"], { cwd: dir, home })).toSucceed();
    const file = join(dir, "berth-import", "web", "berth.yaml");
    writeFileSync(file, "name: mine\n");
    const again = berth(["import", "docker-compose.yml"], { cwd: dir, home });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("berth import never overwrites one");
    expect(again.stderr).toContain("--force");
    expect(readFileSync(file, "utf8")).toBe("name: mine\n");
    expect(berth(["import", "docker-compose.yml", "--force"], { cwd: dir, home })).toSucceed();
    expect(readFileSync(file, "utf8")).toContain("name: web");
  });

  it("a malformed Compose file is a positioned error with a hint, not a stack trace", () => {
    const cwd = writeTree({ "docker-compose.yml": "services:\n  web:\n    image: node\n     ports: [1]\n" });
    const result = berth(["import", "docker-compose.yml"], { cwd, home: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("docker-compose.yml:3:12");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const unknown = writeTree({
      "docker-compose.yml": "services:\n  web:\n    image: node\n    depends_on: [db]\n",
    });
    const missing = berth(["import", "docker-compose.yml"], { cwd: unknown, home: tempDir() });
    expect(missing.stderr).toContain("docker-compose.yml:4:17");
    expect(missing.stderr).toContain("web depends on `db`, which is no service of these Compose files");
  });

  it("a command that only runs inside its image is a TODO: the draft loads, and validate names it at its line", () => {
    const cwd = writeTree({
      "docker-compose.yml": [
        "services:",
        "  app:",
        "    image: acme/app:1",
        "    command: bash -c 'source /opt/app/env && /opt/app/bin/serve --port 9000'",
        "    ports: ['9000:9000']",
        "    environment:",
        "      OTHER: http://other:7000/api",
        "  other:",
        "    image: acme/other:1",
        "    command: npm start",
        "    ports: ['7000:7000']",
        "",
      ].join("\n"),
    });
    const home = tempDir();
    expect(berth(["import", "docker-compose.yml"], { cwd, home })).toSucceed();
    const text = readFileSync(join(cwd, "berth-import", "app", "berth.yaml"), "utf8");
    expect(text).toContain(
      "  # TODO(berth import): write the command that runs app from this folder; it uses /opt/app/env, a path inside the image. In its image it ran: bash -c 'source /opt/app/env && /opt/app/bin/serve --port 9000'",
    );
    expect(text).toContain('    run: "${env.TODO_APP_COMMAND}"\n    port: 9000\n');
    // the environment names `other`, which depends_on did not: required, and said so
    expect(text).toContain(
      "  # not a depends_on of app in Compose: its environment names it\n  other: { path: ../other }",
    );
    expect(text).toContain('  OTHER: "http://${requires.other.host}:${requires.other.port}/api"');
    const validated = berth(["validate"], { cwd: join(cwd, "berth-import", "app"), home });
    expect(validated.code, validated.stderr).toBe(0);
    const runLine = text.split("\n").findIndex((line) => line.includes("TODO_APP_COMMAND}")) + 1;
    expect(validated.stderr).toContain(`berth.yaml:${runLine}:11`);
    expect(validated.stderr).toContain("TODO_APP_COMMAND is not set");
  });

  it("services sharing a folder whose edges would make codebases require each other: the closing edge is a TODO, not a cycle", async () => {
    const cwd = writeTree({
      "docker-compose.yml": [
        "services:",
        "  api:",
        "    build: ./app",
        "    command: node api.js",
        "  jobs:",
        "    build: ./app",
        "    command: node jobs.js",
        "    depends_on: [mailer]",
        "  mailer:",
        "    build: ./mailer",
        "    command: node mailer.js",
        "    depends_on:",
        "      api: { condition: service_started }",
        "",
      ].join("\n"),
      "app/.keep": "",
      "mailer/.keep": "",
    });
    const home = tempDir();
    const { report } = importJson(cwd, ["docker-compose.yml"]);
    const edges = report.services.flatMap((service) =>
      service.dependsOn.map((edge) => `${service.service}→${edge.on}: ${edge.kept}`),
    );
    expect(edges).toEqual(["jobs→mailer: requirement", "mailer→api: note"]);
    const mailer = readFileSync(join(cwd, "berth-import", "mailer", "berth.yaml"), "utf8");
    expect(mailer).toContain(
      "# TODO(berth import): in Compose, mailer depends on api; requiring codebase app here would make a cycle",
    );
    for (const name of ["app", "mailer"]) await validate({ root: join(cwd, "berth-import", name), home });
  });

  it("env_file: the first one is the codebase's env_file, read when Berth runs; a missing optional one is noted", async () => {
    const cwd = writeTree({
      "docker-compose.yml": [
        "services:",
        "  app:",
        "    build: .",
        "    command: node app.js",
        "    env_file:",
        "      - app.env",
        "      - { path: local.env, required: false }",
        "",
      ].join("\n"),
      "app.env": "API_TOKEN=abc123def\n",
    });
    const { report } = importJson(cwd, ["docker-compose.yml"]);
    const text = readFileSync(join(cwd, "berth-import", "app", "berth.yaml"), "utf8");
    expect(text).toContain("\nenv_file: ../../app.env\n");
    expect(text).not.toContain("abc123def");
    expect(report.services[0]?.notes).toContain(
      `env_file ${join(cwd, "local.env")} does not exist; not kept`,
    );
    await validate({ root: join(cwd, "berth-import", "app"), home: tempDir() });
  });

  it("`berth init --from docker-compose.yml` is the same import", () => {
    const dir = copy(SHOP);
    const result = berth(["init", "--from", "docker-compose.yml"], { cwd: dir, home: tempDir() });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, "berth-import", "api", "berth.yaml"), "utf8")).toContain("name: api");
  });
});

describe("berth import: Procfile", () => {
  it("one process a line, release → migrate, $PORT → port auto (Berth sets PORT, as foreman does)", async () => {
    const cwd = writeTree({
      Procfile:
        "# processes\nweb: gunicorn app:app --bind 127.0.0.1:$PORT\nworker: celery -A app worker\nrelease: ./migrate.sh\nnot a line\n",
    });
    const home = tempDir();
    const result = berth(["import", "Procfile"], { cwd, home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("release → task migrate");
    expect(result.stdout).toContain("dropped line 5: not `name: command`");
    const text = readFileSync(join(cwd, "berth.yaml"), "utf8");
    expect(text).toContain(
      '  web:\n    run: "gunicorn app:app --bind 127.0.0.1:$PORT"\n    port: auto\n    ready: { tcp: true }',
    );
    expect(text).toContain("  worker:\n    run: celery -A app worker\n");
    expect(text).toContain("  migrate: { run: ./migrate.sh }");
    expect(text).not.toContain("PORT:");
    await validate({ root: cwd, home });
    const alias = writeTree({ Procfile: "web: node server.js\n" });
    expect(berth(["init", "--from", "Procfile"], { cwd: alias, home })).toSucceed();
    expect(readFileSync(join(alias, "berth.yaml"), "utf8")).toContain("    run: node server.js");
  });
});
