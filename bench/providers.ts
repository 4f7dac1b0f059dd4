import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { median, type Row } from "./harness.js";

const bin = join(import.meta.dirname, "..", "bin", "berth.js");

/** Two codebases with migrations and seeds, on postgres and redis. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-providers-"));
  for (const name of ["alpha", "beta"]) {
    mkdirSync(join(dir, name, "migrations"), { recursive: true });
    writeFileSync(
      join(dir, name, "migrations", "001.sql"),
      `CREATE TABLE IF NOT EXISTS ${name}_items (id serial primary key, title text);\n`,
    );
    writeFileSync(
      join(dir, name, "berth.yaml"),
      `name: ${name}
requires:
  db: { provider: postgres }
  cache: { provider: redis }
env:
  DATABASE_URL: \${requires.db.url}
  REDIS_URL: \${requires.cache.url}
tasks:
  migrate: { run: "psql \\"$DATABASE_URL\\" -q -v ON_ERROR_STOP=1 -f migrations/001.sql", inputs: ["migrations/**"] }
  seed: { run: "psql \\"$DATABASE_URL\\" -q -c \\"INSERT INTO ${name}_items (title) SELECT 'item ' || g FROM generate_series(1, 100) g\\"" }
`,
    );
  }
  mkdirSync(join(dir, "root"));
  writeFileSync(
    join(dir, "root", "berth.yaml"),
    "name: root\nrequires:\n  alpha: { path: ../alpha }\n  beta: { path: ../beta }\n",
  );
  return dir;
}

function berth(dir: string, home: string, args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: join(dir, "root"),
    env: { ...process.env, BERTH_HOME: home, BERTH_TRUST: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`berth ${args.join(" ")} failed: ${result.stderr}`);
  return performance.now() - start;
}

const asServer = () =>
  process.getuid?.() === 0
    ? {
        uid: Number(execFileSync("id", ["-u", "berth"]).toString()),
        gid: Number(execFileSync("id", ["-g", "berth"]).toString()),
      }
    : {};

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The floor: the same servers and commands by a bare script, in the same order, from the same template. */
async function floor(dir: string, cold: boolean, dataRoot: string): Promise<number> {
  const pgBin = `/usr/lib/postgresql/${readdirSync("/usr/lib/postgresql").sort().at(-1)}/bin`;
  const template =
    readdirSync("/var/cache/berth/templates").find((name) => name.startsWith("postgres-")) ?? "";
  const templateDir = join(
    process.getuid?.() === 0
      ? "/var/cache/berth/templates"
      : join(process.env.HOME ?? "", ".cache/berth/templates"),
    template,
  );
  const data = join(dataRoot, "pg");
  const start = performance.now();
  if (cold) {
    execFileSync("cp", ["-a", join(templateDir, "data"), data]);
    if (process.getuid?.() === 0) execFileSync("chown", ["-R", "berth:berth", dataRoot]);
  }
  const password = execFileSync("cat", [join(templateDir, "admin-password")]).toString();
  const pgPort = 15_432 + Math.floor(Math.random() * 1000);
  const redisPort = pgPort + 1000;
  const servers = [
    spawn(
      join(pgBin, "postgres"),
      [
        "-D",
        data,
        "-p",
        String(pgPort),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "shared_buffers=16MB",
        "-c",
        "jit=off",
        "-c",
        "autovacuum=off",
      ],
      { stdio: "ignore", ...asServer() },
    ),
    spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--hz", "100"], {
      stdio: "ignore",
    }),
  ];
  const env = { ...process.env, PGPASSWORD: password };
  const psql = (database: string, sql: string, user = "postgres", pass = password) =>
    spawnSync(
      "psql",
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(pgPort),
        "-U",
        user,
        "-d",
        database,
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql,
      ],
      { env: { ...env, PGPASSWORD: pass } },
    ).status === 0;
  await until(() => psql("postgres", "SELECT 1"));
  await until(
    () =>
      spawnSync("redis-cli", ["-p", String(redisPort), "ping"])
        .stdout?.toString()
        .includes("PONG") ?? false,
  );
  if (cold) {
    for (const name of ["alpha", "beta"]) {
      spawnSync(
        "psql",
        [
          "-h",
          "127.0.0.1",
          "-p",
          String(pgPort),
          "-U",
          "postgres",
          "-d",
          "postgres",
          "-q",
          "-c",
          `CREATE ROLE ${name} LOGIN PASSWORD 'pw'`,
          "-c",
          `CREATE DATABASE ${name} OWNER ${name} TEMPLATE template0`,
        ],
        { env },
      );
      spawnSync(
        "psql",
        [
          "-h",
          "127.0.0.1",
          "-p",
          String(pgPort),
          "-U",
          name,
          "-d",
          name,
          "-q",
          "-f",
          join(dir, name, "migrations", "001.sql"),
        ],
        { env: { ...env, PGPASSWORD: "pw" } },
      );
      psql(
        name,
        `INSERT INTO ${name}_items (title) SELECT 'item ' || g FROM generate_series(1, 100) g`,
        name,
        "pw",
      );
    }
  }
  const elapsed = performance.now() - start;
  for (const server of servers) server.kill("SIGTERM");
  await Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => (server.exitCode === null ? server.once("exit", resolve) : resolve(null))),
    ),
  );
  return elapsed;
}

export async function benchProviders(options: { quick: boolean }): Promise<Row[]> {
  if (!existsSync("/usr/lib/postgresql") || spawnSync("sh", ["-c", "command -v redis-server"]).status !== 0) {
    console.log("note: providers benchmark skipped: needs PostgreSQL (Debian) and Redis");
    return [];
  }
  const runs = options.quick ? 2 : 5;
  const cold: number[] = [];
  const warm: number[] = [];
  const noop: number[] = [];
  const floorCold: number[] = [];
  const floorWarm: number[] = [];
  let memory = 0;
  for (let run = 0; run < runs; run++) {
    const dir = workspace();
    const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
    try {
      cold.push(berth(dir, home, ["up", "-d"]));
      noop.push(berth(dir, home, ["up", "-d"]));
      const rows = JSON.parse(
        spawnSync(process.execPath, [bin, "status", "--json"], {
          cwd: join(dir, "root"),
          env: { ...process.env, BERTH_HOME: home },
          encoding: "utf8",
        }).stdout,
      ) as { rss_bytes: number | null }[];
      memory = rows.reduce((sum, row) => sum + (row.rss_bytes ?? 0), 0) / 1024 / 1024;
      berth(dir, home, ["down"]);
      warm.push(berth(dir, home, ["up", "-d"]));
      berth(dir, home, ["down", "--all"]);
      const floorRoot = mkdtempSync(join(tmpdir(), "berth-bench-floor-"));
      if (process.getuid?.() === 0) execFileSync("chmod", ["755", floorRoot]);
      floorCold.push(await floor(dir, true, floorRoot));
      floorWarm.push(await floor(dir, false, floorRoot));
      rmSync(floorRoot, { recursive: true, force: true });
    } finally {
      spawnSync(process.execPath, [bin, "down", "--all"], { env: { ...process.env, BERTH_HOME: home } });
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  }
  return [
    {
      benchmark: "cold up: postgres + redis, 2 codebases migrated and seeded (supervisor not running)",
      berth: median(cold),
      floor: median(floorCold),
      unit: "ms",
      target: "≤ 1.25× floor, < 3 s",
    },
    {
      benchmark: "warm up: same, after down (servers start, tasks cached)",
      berth: median(warm),
      floor: median(floorWarm),
      unit: "ms",
      target: "≤ 1.10× floor, < 1 s",
    },
    { benchmark: "up of what is already up", berth: median(noop), unit: "ms" },
    { benchmark: "memory of the environment (servers, summed RSS)", berth: memory, unit: "MiB" },
  ];
}
