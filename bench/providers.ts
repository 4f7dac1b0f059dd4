import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, type FloorStage, median, postgresArgs, type Row, runBerth, timeFloor } from "./harness.js";

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
  return runBerth(join(dir, "root"), home, args).ms;
}

const asServer = () =>
  process.getuid?.() === 0
    ? {
        uid: Number(execFileSync("id", ["-u", "berth"]).toString()),
        gid: Number(execFileSync("id", ["-g", "berth"]).toString()),
      }
    : {};

/** The floor: the same servers and commands by a bare script, in the same order, from the same template. */
function floor(dir: string, cold: boolean, dataRoot: string): Promise<number> {
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
  const password = readFileSync(join(templateDir, "admin-password"), "utf8");
  const pgPort = 15_432 + Math.floor(Math.random() * 1000);
  const redisPort = pgPort + 1000;
  const psql = (user: string, pass: string, database: string, ...args: string[]) => ({
    command: "psql",
    args: [
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
      ...args,
    ],
    env: { PGPASSWORD: pass },
  });
  const stages: FloorStage[] = [
    {
      run: cold
        ? [
            { command: "cp", args: ["-a", join(templateDir, "data"), data] },
            ...(process.getuid?.() === 0
              ? [{ command: "chown", args: ["-R", "berth:berth", dataRoot] }]
              : []),
          ]
        : [],
      start: [
        {
          command: join(pgBin, "postgres"),
          args: postgresArgs(data, pgPort),
          ...asServer(),
        },
        {
          command: "redis-server",
          args: ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--hz", "100"],
        },
      ],
      wait: [
        { postgres: `postgres://postgres:${password}@127.0.0.1:${pgPort}/postgres` },
        { redis: redisPort },
      ],
    },
  ];
  if (cold) {
    stages.push({
      run: ["alpha", "beta"].flatMap((name) => [
        psql(
          "postgres",
          password,
          "postgres",
          "-c",
          `CREATE ROLE ${name} LOGIN PASSWORD 'pw'`,
          "-c",
          `CREATE DATABASE ${name} OWNER ${name} TEMPLATE template0`,
        ),
        psql(name, "pw", name, "-f", join(dir, name, "migrations", "001.sql")),
        psql(
          name,
          "pw",
          name,
          "-c",
          `INSERT INTO ${name}_items (title) SELECT 'item ' || g FROM generate_series(1, 100) g`,
        ),
      ]),
    });
  }
  return timeFloor(stages);
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
