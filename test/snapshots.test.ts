import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { postgresCodebase, sqlMigrations } from "./helpers/manifests.js";
import { runtimeWorkspace, spawnBerth, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";

const app = {
  "app/berth.yaml": `name: app
requires:
  db: { provider: postgres }
  my: { provider: mysql }
  cache: { provider: redis }
env:
  DATABASE_URL: \${requires.db.url}
  REDIS_URL: \${requires.cache.url}
  MY_PORT: \${requires.my.port}
  MY_USER: \${requires.my.user}
  MYSQL_PWD: \${requires.my.password}
  MY_DB: \${requires.my.database}
data: [media]
tasks:
  migrate: { run: "psql \\"$DATABASE_URL\\" -qc 'CREATE TABLE IF NOT EXISTS notes (id int primary key, body text)' && mysql -h 127.0.0.1 -P $MY_PORT -u $MY_USER $MY_DB -e 'CREATE TABLE IF NOT EXISTS notes (id INT PRIMARY KEY, body TEXT)'" }
  seed: { run: "psql \\"$DATABASE_URL\\" -qc \\"INSERT INTO notes VALUES (1, 'seeded')\\" && echo seeded >> seed-runs.log" }
`,
  "app/media/logo.txt": "the original logo\n",
};

type Run = ReturnType<typeof runtimeWorkspace>["run"];
const sh = (run: Run, script: string) => run(["exec", "app", "--", "sh", "-c", script], "app");
const read = (run: Run) => ({
  pg: sh(run, 'psql "$DATABASE_URL" -Atc "select id, body from notes order by id"').stdout,
  mysql: sh(
    run,
    "mysql -h 127.0.0.1 -P $MY_PORT -u $MY_USER $MY_DB -N -e 'SELECT id, body FROM notes ORDER BY id'",
  ).stdout,
  redis: sh(run, 'redis-cli -u "$REDIS_URL" --no-raw mget a b c').stdout,
  media: sh(run, "cat media/*").stdout,
});

const needs = ["postgres", "mysql", "redis", "psql", "mysql client", "redis-cli"];

describe("snapshots", () => {
  itWith(
    needs,
    "save, change (insert, delete, drop a table), restore: the data read back is identical",
    () => {
      const { dir, run } = runtimeWorkspace(app);
      expect(run(["up", "-d"], "app")).toSucceed();
      sh(run, `psql "$DATABASE_URL" -qc "INSERT INTO notes VALUES (2, 'two'), (3, 'three')"`);
      sh(
        run,
        "mysql -h 127.0.0.1 -P $MY_PORT -u $MY_USER $MY_DB -e \"INSERT INTO notes VALUES (1, 'one'), (2, 'two')\"",
      );
      sh(run, 'redis-cli -u "$REDIS_URL" mset a 1 b 2 && redis-cli -u "$REDIS_URL" expire a 3600');
      const before = read(run);
      expect(before.pg).toBe("1|seeded\n2|two\n3|three\n");

      const save = run(["snapshot", "save", "before"], "app");
      expect(save).toSucceed();
      expect(save.stdout).toMatch(/✓ saved before: app\/db, app\/my, app\/cache, app\/data:media/);

      sh(
        run,
        `psql "$DATABASE_URL" -qc "DELETE FROM notes WHERE id = 2; INSERT INTO notes VALUES (9, 'new'); CREATE TABLE extra (x int)"`,
      );
      sh(run, "mysql -h 127.0.0.1 -P $MY_PORT -u $MY_USER $MY_DB -e 'DROP TABLE notes'");
      sh(run, 'redis-cli -u "$REDIS_URL" del a && redis-cli -u "$REDIS_URL" set c 3');
      writeFileSync(join(dir, "app", "media", "logo.txt"), "a changed logo\n");
      expect(read(run)).not.toEqual(before);

      const restore = run(["snapshot", "restore", "before", "--yes"], "app");
      expect(restore).toSucceed();
      expect(read(run)).toEqual(before);
      expect(
        sh(run, `psql "$DATABASE_URL" -Atc "select count(*) from pg_tables where tablename = 'extra'"`)
          .stdout,
      ).toBe("0\n");
      expect(Number(sh(run, 'redis-cli -u "$REDIS_URL" pttl a').stdout)).toBeGreaterThan(3_000_000);

      // The restored data stands for what the seed made: a later up does not seed over it.
      expect(run(["up", "-d"], "app").stdout).toContain("· seed:app cached");
      expect(readFileSync(join(dir, "app", "seed-runs.log"), "utf8")).toBe("seeded\n");
      const list = JSON.parse(run(["snapshot", "list", "--json"], "app").stdout);
      expect(list).toEqual([
        { name: "before", created: expect.any(String), size: expect.any(Number), codebases: ["app"] },
      ]);
      expect(run(["snapshot", "save", "before"], "app").stderr).toContain("a snapshot named `before` exists");
      expect(run(["snapshot", "restore", "before"], "app").stderr).toContain("nothing was restored");
    },
  );

  itWith(
    needs,
    "export → import on a fresh state folder gives the same data; a flipped byte is refused",
    () => {
      const { run } = runtimeWorkspace(app);
      run(["up", "-d"], "app");
      sh(run, `psql "$DATABASE_URL" -qc "INSERT INTO notes VALUES (5, 'shared')"`);
      sh(run, 'redis-cli -u "$REDIS_URL" set a shared');
      const expected = read(run);
      run(["snapshot", "save", "shared"], "app");
      const archive = join(tempDir(), "shared.tar.gz");
      expect(run(["snapshot", "export", "shared", archive], "app")).toSucceed();

      const colleague = runtimeWorkspace(app);
      const imported = colleague.run(["snapshot", "import", archive], "app");
      expect(imported.stdout).toMatch(/✓ imported shared \(\d+ files verified\)/);
      colleague.run(["up", "-d"], "app");
      expect(colleague.run(["snapshot", "restore", "shared", "--yes"], "app")).toSucceed();
      expect(read(colleague.run)).toEqual(expected);

      const bytes = readFileSync(archive);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
      const tampered = join(tempDir(), "tampered.tar.gz");
      writeFileSync(tampered, bytes);
      const refused = colleague.run(["snapshot", "import", tampered, "other"], "app");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/damaged|does not match its checksum|not a readable snapshot archive/);
      expect(colleague.run(["snapshot", "list", "--json"], "app").stdout).not.toContain('"other"');
      expect(read(colleague.run)).toEqual(expected);
    },
  );
});

describe("snapshot files", () => {
  itWith(["postgres", "psql"], "a save that fails half-way leaves no snapshot under its name", () => {
    const { home, run } = runtimeWorkspace({
      // The database is dumped first; then the declared data folder turns out to be a file.
      "app/berth.yaml": "name: app\nrequires:\n  db: { provider: postgres }\ndata: [uploads]\n",
      "app/uploads": "not a folder\n",
    });
    run(["up", "-d"], "app");
    const failing = run(["snapshot", "save", "half"], "app");
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("app's data folder uploads is a file, not a folder");
    expect(existsSync(join(home, "snapshots", "half"))).toBe(false);
    expect(readdirSync(join(home, "snapshots")).filter((entry) => entry.startsWith(".partial"))).toEqual([]);
  });

  itWith(["postgres", "psql"], "Ctrl-C during a save stops its dumps and keeps nothing", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "app/berth.yaml": postgresCodebase("app", {
        tasks: { seed: `{ run: "psql \\"$DATABASE_URL\\" -qc 'CREATE TABLE items (id int)'" }` },
      }),
    });
    run(["up", "-d"], "app");
    const sql = (query: string) => sh(run, `psql "$DATABASE_URL" -Atc "${query}"`).stdout.trim();
    // Another session holds the table, so pg_dump waits for its lock until the save is cancelled.
    const holder = spawnBerth(
      [
        "exec",
        "app",
        "--",
        "sh",
        "-c",
        'psql "$DATABASE_URL" -c "BEGIN; LOCK TABLE items; SELECT pg_sleep(60)"',
      ],
      { cwd: join(dir, "app"), home },
    );
    const dumps = (how: string) =>
      sql(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump'${how}`);
    try {
      await until(
        () =>
          sql(
            "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'items'::regclass",
          ) === "1",
        10_000,
        "the lock",
      );
      const save = spawnBerth(["snapshot", "save", "interrupted"], { cwd: join(dir, "app"), home });
      await until(() => dumps(" AND wait_event_type = 'Lock'") === "1", 10_000, "pg_dump waiting");
      save.kill("SIGINT");
      await new Promise((resolve) => save.once("exit", resolve));
      await until(() => dumps("") === "0", 10_000, "pg_dump gone");
      await until(
        () => !existsSync(join(home, "snapshots")) || readdirSync(join(home, "snapshots")).length === 0,
        10_000,
        "no partial snapshot",
      );
    } finally {
      sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()",
      );
      await new Promise((resolve) =>
        holder.exitCode === null ? holder.once("exit", resolve) : resolve(null),
      );
    }
    expect(existsSync(join(home, "snapshots", "interrupted"))).toBe(false);
  });
});

describe("schemas, seeds from snapshots, baselines", () => {
  const schemaApp = {
    "app/berth.yaml": postgresCodebase("app", { tasks: { migrate: sqlMigrations } }),
    "app/migrations/001.sql":
      "CREATE TABLE IF NOT EXISTS courses (id serial PRIMARY KEY, title text NOT NULL);\n",
  };

  itWith(
    ["postgres", "psql"],
    "db schema writes a stable schema; db diff names what differs and exits 1, and 0 when clean",
    () => {
      const { dir, run } = runtimeWorkspace(schemaApp);
      run(["up", "-d"], "app");
      const reference = join(dir, "production.sql");
      expect(run(["db", "schema", "app/db", "--out", reference], "app")).toSucceed();
      const text = readFileSync(reference, "utf8");
      expect(text).toContain("CREATE TABLE public.courses (");
      expect(text).not.toMatch(/^--|OWNER TO|^SET /m);
      expect(run(["db", "schema", "app/db"], "app").stdout).toBe(text);
      expect(run(["db", "diff", "app/db", reference], "app")).toMatchObject({
        code: 0,
        stdout: `✓ the schema of app/db matches ${reference}\n`,
      });

      writeFileSync(
        join(dir, "app", "migrations", "002.sql"),
        "ALTER TABLE courses ADD COLUMN IF NOT EXISTS level int;\n",
      );
      run(["migrate"], "app");
      const diff = run(["db", "diff", "app/db", reference], "app");
      expect(diff.code).toBe(1);
      expect(diff.stdout).toContain("+    level integer");
      expect(diff.stdout).toContain(`--- ${reference}`);
    },
  );

  itWith(
    ["postgres", "psql"],
    "a seed can be a snapshot archive, and migrate can start from a baseline",
    () => {
      const source = runtimeWorkspace(schemaApp);
      source.run(["up", "-d"], "app");
      sh(
        source.run,
        `psql "$DATABASE_URL" -qc "INSERT INTO courses (title) SELECT 'course ' || g FROM generate_series(1, 25) g"`,
      );
      source.run(["snapshot", "save", "catalog"], "app");
      const archive = join(tempDir(), "catalog.tar.gz");
      source.run(["snapshot", "export", "catalog", archive], "app");

      const seeded = runtimeWorkspace({
        ...schemaApp,
        "app/berth.yaml": schemaApp["app/berth.yaml"].replace(
          "tasks:\n",
          `tasks:\n  seed: { snapshot: ${archive} }\n`,
        ),
      });
      expect(seeded.run(["up", "-d"], "app")).toSucceed();
      expect(sh(seeded.run, 'psql "$DATABASE_URL" -Atc "select count(*) from courses"').stdout).toBe("25\n");
      expect(seeded.run(["up", "-d"], "app").stdout).toContain("· seed:app cached");

      const baselined = runtimeWorkspace({
        ...schemaApp,
        "app/berth.yaml": schemaApp["app/berth.yaml"].replace(
          'inputs: ["migrations/**"] }',
          `inputs: ["migrations/**"], baseline: ${archive} }`,
        ),
        "app/migrations/002.sql": "ALTER TABLE courses ADD COLUMN IF NOT EXISTS level int;\n",
      });
      expect(baselined.run(["up", "-d"], "app")).toSucceed();
      expect(
        sh(baselined.run, 'psql "$DATABASE_URL" -Atc "select count(*), count(level) from courses"').stdout,
      ).toBe("25|0\n");
    },
  );
});
