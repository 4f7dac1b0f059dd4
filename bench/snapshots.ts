import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bin, median, type Row, runBerth } from "./harness.js";

/** Save and restore of a 100 000-row PostgreSQL (and MariaDB) claim, against running the bare tools by hand. */
export async function benchSnapshots(options: { quick: boolean }): Promise<Row[]> {
  if (spawnSync("sh", ["-c", "command -v pg_dump && command -v mariadb-dump"]).status !== 0) {
    console.log("note: snapshot benchmark skipped: needs pg_dump and mariadb-dump");
    return [];
  }
  const runs = options.quick ? 2 : 5;
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-snapshots-"));
  const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
  const env = { ...process.env, BERTH_HOME: home, BERTH_TRUST: "1" };
  mkdirSync(join(dir, "app"));
  writeFileSync(
    join(dir, "app", "berth.yaml"),
    `name: app
requires:
  db: { provider: postgres }
  my: { provider: mysql }
env:
  DATABASE_URL: \${requires.db.url}
  MY_URL: \${requires.my.url}
  MY_PORT: \${requires.my.port}
  MY_USER: \${requires.my.user}
  MYSQL_PWD: \${requires.my.password}
tasks:
  seed:
    run: >-
      psql "$DATABASE_URL" -q -c "CREATE TABLE items (id int primary key, title text, body text); INSERT INTO items SELECT g, 'title ' || g, repeat('x', 100) FROM generate_series(1, 100000) g" &&
      mysql -h 127.0.0.1 -P $MY_PORT -u $MY_USER app -e "SET max_recursive_iterations = 200000; CREATE TABLE items (id INT PRIMARY KEY, title TEXT, body TEXT); INSERT INTO items WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 100000) SELECT g, CONCAT('title ', g), REPEAT('x', 100) FROM s"
`,
  );
  const berth = (...args: string[]) => runBerth(join(dir, "app"), home, args);
  const timed = (command: string, args: string[], extra: Record<string, string>) => {
    const start = performance.now();
    const result = spawnSync(command, args, { env: { ...process.env, ...extra }, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
    return performance.now() - start;
  };
  try {
    berth("up", "-d");
    const values = JSON.parse(berth("env", "--show", "--json").stdout) as Record<string, string>;
    const pg = new URL(values.DATABASE_URL ?? "");
    const pgEnv = { PGPASSWORD: decodeURIComponent(pg.password) };
    const pgArgs = ["-h", "127.0.0.1", "-p", pg.port, "-U", pg.username];
    const myArgs = [
      "--no-defaults",
      "-h",
      "127.0.0.1",
      "-P",
      values.MY_PORT ?? "",
      "-u",
      values.MY_USER ?? "",
    ];
    const myEnv = { MYSQL_PWD: values.MYSQL_PWD ?? "" };
    const saves: number[] = [];
    const restores: number[] = [];
    const bareSaves: number[] = [];
    const bareRestores: number[] = [];
    // Each measured step starts once the servers have written out what the step before it loaded: a dump
    // right after a restore competes with the servers' background writes, whoever makes it.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
    // What the benchmarks before this one left for the disk is written out first, not during a measured step.
    spawnSync("sync");
    for (let run = 0; run < runs; run++) {
      await settle();
      saves.push(berth("snapshot", "save", `bench-${run}`).ms);
      await settle();
      restores.push(berth("snapshot", "restore", `bench-${run}`, "--yes").ms);
      const pgFile = join(dir, `bare-${run}.pgcustom`);
      const myFile = join(dir, `bare-${run}.sql`);
      await settle();
      bareSaves.push(
        timed("pg_dump", ["-Fc", ...pgArgs, "-f", pgFile, pg.pathname.slice(1)], pgEnv) +
          timed(
            "mariadb-dump",
            [...myArgs, "--single-transaction", "--routines", "--triggers", `--result-file=${myFile}`, "app"],
            myEnv,
          ),
      );
      await settle();
      bareRestores.push(
        timed("psql", [...pgArgs, "-d", pg.pathname.slice(1), "-qc", "DROP TABLE items"], pgEnv) +
          timed("pg_restore", [...pgArgs, "-d", pg.pathname.slice(1), "--no-owner", pgFile], pgEnv) +
          timed(
            "sh",
            [
              "-c",
              `mariadb ${myArgs.join(" ")} app -e 'DROP TABLE items' && mariadb ${myArgs.join(" ")} app < ${myFile}`,
            ],
            myEnv,
          ),
      );
    }
    return [
      {
        benchmark: "snapshot save: postgres + mariadb, 100 000 rows each",
        berth: median(saves),
        floor: median(bareSaves),
        unit: "ms",
        target: "≤ 1.2× the bare tools",
      },
      {
        benchmark: "snapshot restore: same",
        berth: median(restores),
        floor: median(bareRestores),
        unit: "ms",
        target: "≤ 1.2× the bare tools",
      },
    ];
  } finally {
    spawnSync(process.execPath, [bin, "down", "--all"], { env });
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}
