import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { postgresCodebase } from "./helpers/manifests.js";
import { runtimeWorkspace, status } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

const nodePgMigrate = join(import.meta.dirname, "..", "node_modules", ".bin", "node-pg-migrate");

/** `sh -c` inside a codebase's environment, through `berth exec`. */
const shell = (run: ReturnType<typeof runtimeWorkspace>["run"], codebase: string, script: string) =>
  run(["exec", codebase, "--", "sh", "-c", script], "root");

const twoClaimants = {
  "root/berth.yaml": "name: root\nrequires:\n  one: { path: ../one }\n  two: { path: ../two }\n",
  "one/berth.yaml": `name: one
requires:
  db: { provider: postgres }
  cache: { provider: redis }
env:
  DATABASE_URL: \${requires.db.url}
  REDIS_URL: \${requires.cache.url}
tasks:
  migrate: { run: "psql \\"$DATABASE_URL\\" -v ON_ERROR_STOP=1 -f migrations/all.sql", inputs: ["migrations/**"] }
  seed: { run: "psql \\"$DATABASE_URL\\" -c \\"INSERT INTO items VALUES ('one')\\" && echo seeded >> ../seeds.log" }
processes:
  api: { run: "sleep 600" }
exports:
  password: \${requires.db.password}
`,
  "one/migrations/all.sql": "CREATE TABLE IF NOT EXISTS items (name text);\n",
  "two/berth.yaml": `name: two
requires:
  db: { provider: postgres }
  cache: { provider: redis }
env:
  DATABASE_URL: \${requires.db.url}
  REDIS_URL: \${requires.cache.url}
processes:
  api: { run: "sleep 600" }
`,
};

describe("providers and claims", () => {
  itWith(
    ["postgres", "redis", "psql", "redis-cli"],
    "two codebases share one postgres and one redis server, each reaching only its own data",
    () => {
      const { run } = runtimeWorkspace(twoClaimants);
      const up = run(["up", "-d"], "root");
      expect(up.stderr).toBe("");
      expect(up).toSucceed();
      const servers = status(run, "root").filter((row) => row.process === "server");
      expect(servers.map((row) => row.codebase.split("@")[0])).toEqual(["postgres", "redis"]);

      expect(
        shell(run, "one", 'psql "$DATABASE_URL" -Atc "select current_user || \'/\' || current_database()"')
          .stdout,
      ).toBe("one/one\n");
      expect(shell(run, "two", 'psql "$DATABASE_URL" -Atc "select current_database()"').stdout).toBe("two\n");
      // one's credentials do not open two's database.
      const crossing = shell(run, "one", 'psql "${DATABASE_URL%/one}/two" -Atc "select 1"');
      expect(crossing.code).not.toBe(0);
      expect(crossing.stderr).toMatch(/permission denied for database "two"|not have CONNECT privilege/);

      shell(run, "one", 'redis-cli -u "$REDIS_URL" set owner one');
      shell(run, "two", 'redis-cli -u "$REDIS_URL" set owner two');
      expect(shell(run, "one", 'redis-cli -u "$REDIS_URL" get owner').stdout).toBe("one\n");
      expect(shell(run, "two", 'redis-cli -u "$REDIS_URL" get owner').stdout).toBe("two\n");
      expect(shell(run, "one", "echo $REDIS_URL").stdout).not.toBe(
        shell(run, "two", "echo $REDIS_URL").stdout,
      );

      // The last one out stops the servers; data is kept for the next up.
      expect(run(["down"], "root").stdout).toMatch(/stopped .*postgres@\d+\/server/);
      expect(status(run, "root")).toEqual([]);
      run(["up", "-d"], "root");
      expect(shell(run, "one", 'psql "$DATABASE_URL" -Atc "select count(*) from items"').stdout).toBe("1\n");
    },
  );

  itWith(
    ["postgres", "psql"],
    "migrate runs once, is skipped next time, re-runs when a migration changes and after seed --reset",
    () => {
      const { dir, run } = runtimeWorkspace(twoClaimants);
      // Not watched: the edit below is for this test's \`up\` to find, not for the watcher to apply first.
      const seeds = () => readFileSync(join(dir, "seeds.log"), "utf8").split("\n").filter(Boolean).length;
      const first = run(["up", "-d", "--no-watch"], "root");
      expect(first.stdout).toMatch(/✓ migrate:one/);
      expect(seeds()).toBe(1);
      const second = run(["up", "-d", "--no-watch"], "root");
      expect(second.stdout).toContain("· migrate:one cached");
      expect(second.stdout).toContain("· seed:one cached");
      expect(JSON.parse(run(["plan", "--json"], "root").stdout).cached).toEqual(["migrate:one", "seed:one"]);
      expect(run(["plan"], "root").stdout).toMatch(/migrate:one .*cached: inputs unchanged, skipped/);

      writeFileSync(
        join(dir, "one", "migrations", "all.sql"),
        "CREATE TABLE IF NOT EXISTS items (name text);\nALTER TABLE items ADD COLUMN IF NOT EXISTS added int;\n",
      );
      const third = run(["up", "-d", "--no-watch"], "root");
      expect(third.stdout).toMatch(/✓ migrate:one/);
      expect(
        shell(
          run,
          "one",
          'psql "$DATABASE_URL" -Atc "select column_name from information_schema.columns where table_name = \'items\' order by 1"',
        ).stdout,
      ).toBe("added\nname\n");

      const reset = run(["seed", "one", "--reset", "--yes"], "root");
      expect(reset).toSucceed();
      expect(reset.stdout).toMatch(/✓ task:one\/migrate[\s\S]*✓ task:one\/seed/);
      expect(shell(run, "one", 'psql "$DATABASE_URL" -Atc "select count(*) from items"').stdout).toBe("1\n");
      expect(run(["up", "-d", "--no-watch"], "root").stdout).toContain("· migrate:one cached");
      expect(run(["seed", "one", "--reset"], "root").stderr).toContain("nothing was reset");
    },
  );

  itWith(["postgres", "psql"], "a failing migration stops its dependents and shows its output", () => {
    const files = { ...twoClaimants, "one/migrations/all.sql": "CREATE TABLE items (name text;\n" };
    files["two/berth.yaml"] = `${files["two/berth.yaml"]}`.replace(
      "requires:\n",
      "requires:\n  one: { path: ../one }\n",
    );
    const { run } = runtimeWorkspace(files);
    const up = run(["up", "-d"], "root");
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("migrate:one failed: one's migrate task exited with code 3");
    expect(up.stderr).toMatch(/syntax error at or near ";"/);
    expect(up.stderr).toContain("berth run one migrate");
    expect(up.stdout).toContain("· start:two/api not run: what it waits for failed");
    expect(status(run, "root").some((row) => row.codebase === "two")).toBe(false);
  });

  itWith(
    ["postgres", "psql"],
    "a real migration tool (node-pg-migrate) migrates the claimed database",
    () => {
      const { run } = runtimeWorkspace({
        "root/berth.yaml": postgresCodebase("root", {
          tasks: {
            migrate: `{ run: "${nodePgMigrate} up --migrations-dir migrations --migration-file-language js", inputs: ["migrations/**"] }`,
          },
        }),
        "root/migrations/1700000000000_courses.js":
          "exports.up = (pgm) => { pgm.createTable('courses', { id: 'id', title: { type: 'text', notNull: true } }); };\nexports.down = (pgm) => { pgm.dropTable('courses'); };\n",
      });
      const up = run(["up", "-d"], "root");
      expect(up).toSucceed();
      expect(shell(run, "root", 'psql "$DATABASE_URL" -Atc "select name from pgmigrations"').stdout).toBe(
        "1700000000000_courses\n",
      );
      expect(shell(run, "root", 'psql "$DATABASE_URL" -Atc "\\d courses" | head -1').stdout).toMatch(
        /^id\|integer/,
      );
    },
  );

  itWith(["mysql", "mysql client"], "mysql (MariaDB): a claim gets its own database and user", () => {
    const { run } = runtimeWorkspace({
      "root/berth.yaml": `name: root
requires:
  db: { provider: mysql }
env:
  PORT: \${requires.db.port}
  USER: \${requires.db.user}
  MYSQL_PWD: \${requires.db.password}
  DB: \${requires.db.database}
tasks:
  migrate: { run: "mysql -h 127.0.0.1 -P $PORT -u $USER $DB -e 'CREATE TABLE t (id INT); INSERT INTO t VALUES (7)'" }
`,
    });
    expect(run(["up", "-d"], "root")).toSucceed();
    expect(
      shell(run, "root", "mysql -h 127.0.0.1 -P $PORT -u $USER $DB -N -e 'SELECT id FROM t'").stdout,
    ).toBe("7\n");
    const other = shell(run, "root", "mysql -h 127.0.0.1 -P $PORT -u $USER mysql -N -e 'SELECT 1'");
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("Access denied");
  });

  itWith(
    ["redis", "redis-cli"],
    "redis: other local accounts are refused, and a claim's user reaches only its own db",
    () => {
      const { run } = runtimeWorkspace(twoClaimants);
      expect(run(["up", "-d"], "root")).toSucceed();
      const url = shell(run, "one", "echo $REDIS_URL").stdout.trim();
      expect(url).toMatch(/^redis:\/\/one-db\d+:[^@]+@127\.0\.0\.1:\d+\/\d+$/);
      const port = url.split(":").at(-1)?.split("/")[0] ?? "";
      expect(shell(run, "one", 'redis-cli -u "$REDIS_URL" set secret one').stdout).toBe("OK\n");
      expect(shell(run, "two", 'redis-cli -u "$REDIS_URL" set secret two').stdout).toBe("OK\n");

      // Another Unix account, without a password, reads and flushes nothing.
      const stranger = (...args: string[]) =>
        spawnSync("runuser", ["-u", "nobody", "--", "redis-cli", "-p", port, ...args], { encoding: "utf8" });
      expect(stranger("flushall").stdout).toMatch(/NOAUTH/);
      expect(stranger("-n", "0", "keys", "*").stdout).toMatch(/NOAUTH/);

      // one's user cannot step into two's db, nor flush or move across dbs.
      const two = shell(run, "two", "echo $REDIS_URL").stdout.trim();
      const twoDb = two.split("/").at(-1) ?? "";
      const crossing = (command: string) => shell(run, "one", `redis-cli -u "$REDIS_URL" ${command}`);
      expect(crossing(`select ${twoDb}`).stdout).toMatch(/NOPERM/);
      const intoTwo = shell(run, "one", `redis-cli -u "\${REDIS_URL%/*}/${twoDb}" get secret`);
      expect(intoTwo.stdout + intoTwo.stderr).toMatch(/NOPERM/);
      expect(intoTwo.stdout).not.toContain("two");
      for (const command of [
        "flushall",
        `swapdb 0 ${twoDb}`,
        `move secret ${twoDb}`,
        "monitor",
        "config get *",
      ])
        expect(crossing(command).stdout).toMatch(/NOPERM/);
      expect(crossing("get secret").stdout).toBe("one\n");
      expect(shell(run, "two", 'redis-cli -u "$REDIS_URL" get secret').stdout).toBe("two\n");
      // What a restore does (DUMP, RESTORE) and a flush of its own db are the claim's to do.
      expect(crossing("flushdb").stdout).toBe("OK\n");
      expect(shell(run, "two", 'redis-cli -u "$REDIS_URL" get secret').stdout).toBe("two\n");
    },
  );

  itWith(
    ["postgres", "redis", "psql", "redis-cli"],
    "destroy deletes the named codebases' claims only, asks for --yes, and down -v --yes deletes the rest",
    () => {
      const { dir, home, run } = runtimeWorkspace({ ...twoClaimants, "other/.keep": "" });
      expect(run(["up", "-d"], "root")).toSucceed();
      shell(run, "two", 'psql "$DATABASE_URL" -qc "CREATE TABLE kept (n int); INSERT INTO kept VALUES (2)"');
      shell(run, "one", 'redis-cli -u "$REDIS_URL" set mine one');
      shell(run, "two", 'redis-cli -u "$REDIS_URL" set mine two');

      const refused = run(["destroy", "one"], "root");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("--yes");
      expect(run(["down", "-v", "one"], "root").stderr).toContain("--yes");
      expect(shell(run, "one", 'redis-cli -u "$REDIS_URL" get mine').stdout).toBe("one\n");

      const destroyed = run(["destroy", "one", "--yes"], "root");
      expect(destroyed.stderr).toBe("");
      expect(destroyed.stdout).toMatch(/deleted one\/db: database one and its user one on postgres@\d+/);
      expect(destroyed.stdout).toMatch(/deleted one\/cache: db \d+ and its user one-db\d+ on redis@\d+/);
      expect(destroyed.stdout).not.toMatch(/two/);
      expect(status(run, "root").filter((row) => row.codebase === "one")).toEqual([]);
      // two's data is untouched; one starts again from nothing: migrate and seed run on an empty database.
      expect(shell(run, "two", 'psql "$DATABASE_URL" -Atc "select n from kept"').stdout).toBe("2\n");
      expect(shell(run, "two", 'redis-cli -u "$REDIS_URL" get mine').stdout).toBe("two\n");
      const again = run(["up", "-d"], "root");
      expect(again.stdout).toMatch(/✓ migrate:one/);
      expect(shell(run, "one", 'psql "$DATABASE_URL" -Atc "select count(*) from items"').stdout).toBe("1\n");
      expect(shell(run, "one", 'redis-cli -u "$REDIS_URL" get mine').stdout).toBe("\n");
      expect(readFileSync(join(dir, "seeds.log"), "utf8")).toBe("seeded\nseeded\n");

      // Another workspace of the same state folder keeps its data, and the server it uses.
      writeFileSync(join(dir, "other", "berth.yaml"), postgresCodebase("other", {}));
      expect(run(["up", "-d"], "other")).toSucceed();
      run(["exec", "other", "--", "sh", "-c", 'psql "$DATABASE_URL" -qc "CREATE TABLE t (n int)"'], "other");
      const all = run(["down", "--volumes", "--yes"], "root");
      expect(all.stdout).toMatch(/deleted two\/db: database two/);
      expect(all.stdout).not.toMatch(/other|deleted postgres@/);
      expect(all.stdout).toMatch(/deleted redis@\d+: its data folder/);
      expect(status(run, "root")).toEqual([]);
      const count = 'psql "$DATABASE_URL" -Atc "select count(*) from t"';
      expect(run(["exec", "other", "--", "sh", "-c", count], "other").stdout).toBe("0\n");
      const gone = run(["down", "-v", "--yes"], "other");
      expect(gone.stdout).toMatch(
        /deleted other\/db: database other[\s\S]*deleted postgres@\d+: its data folder/,
      );
      const servers = JSON.parse(readFileSync(join(home, "servers.json"), "utf8")) as object;
      expect(servers).toEqual({});
    },
  );

  itWith(
    ["memcached"],
    "memcached: a server and a key prefix per claim; started again, it is not made again",
    () => {
      const { home, run } = runtimeWorkspace({
        "root/berth.yaml":
          "name: root\nrequires:\n  mc: { provider: memcached }\nenv:\n  MC: ${requires.mc.url}\n  PREFIX: ${requires.mc.prefix}\n",
      });
      expect(run(["up", "-d"], "root")).toSucceed();
      expect(shell(run, "root", "echo $MC $PREFIX").stdout).toMatch(
        /^memcached:\/\/127\.0\.0\.1:\d+ root:\n$/,
      );
      expect(status(run, "root").map((row) => `${row.codebase.split("@")[0]} ${row.state}`)).toEqual([
        "memcached ready",
      ]);
      // It keeps no data, so its folder is empty: that is not a data folder removed by hand (a new epoch would
      // make every claim on it again at every start).
      const epochs = () =>
        Object.values(
          JSON.parse(readFileSync(join(home, "servers.json"), "utf8")) as { epoch: string }[],
        ).map((server) => server.epoch);
      const before = epochs();
      expect(run(["down"], "root")).toSucceed();
      expect(run(["up", "-d"], "root")).toSucceed();
      expect(epochs()).toEqual(before);
    },
  );

  itWith(["memcached"], "memcached: destroy deletes the keys of the claim's prefix only", async () => {
    const { dir, run } = runtimeWorkspace({
      "root/berth.yaml":
        "name: root\nrequires:\n  mc: { provider: memcached }\n  two: { path: ../two }\nenv:\n  MC: ${requires.mc.port}\ndata: [uploads]\n",
      "root/uploads/a.png": "png",
      "two/berth.yaml": "name: two\nrequires:\n  mc: { provider: memcached }\n",
    });
    expect(run(["up", "-d"], "root")).toSucceed();
    const port = Number(shell(run, "root", "echo $MC").stdout.trim());
    const talk = (text: string, lines: number) =>
      new Promise<string>((resolve, reject) => {
        let reply = "";
        const socket = connect(port, "127.0.0.1", () => socket.write(text));
        socket.on("data", (chunk) => {
          reply += chunk.toString();
          if (reply.split("\r\n").length > lines) {
            socket.destroy();
            resolve(reply);
          }
        });
        socket.once("error", reject);
      });
    await talk("set root:a 0 0 1\r\nx\r\nset two:b 0 0 1\r\ny\r\n", 2);
    const destroyed = run(["destroy", "root", "--yes"], "root");
    expect(destroyed.stdout).toContain("deleted root/mc: the keys prefixed root: on memcached@");
    expect(destroyed.stdout).not.toContain("two");
    expect(destroyed.stdout).toContain("deleted root: the content of its data folder uploads");
    expect(readdirSync(join(dir, "root", "uploads"))).toEqual([]);
    expect(await talk("get root:a\r\nget two:b\r\n", 4)).toBe("END\r\nVALUE two:b 0 1\r\ny\r\nEND\r\n");
  });

  itWith(
    ["postgres", "psql"],
    "files are rendered, codebase claims give a consumer its own outputs, db shell opens psql",
    () => {
      const { dir, home, run } = runtimeWorkspace({
        "root/berth.yaml": `name: root
requires:
  db: { provider: postgres }
  accounts: { path: ../accounts }
files:
  config: { template: config.yml.tmpl }
env:
  CONFIG: \${files.config}
  CLIENT_ID: \${requires.accounts.client_id}
tasks:
  seed: { run: "cat $CONFIG > seen-config.txt && echo $CLIENT_ID > seen-client.txt" }
`,
        "root/config.yml.tmpl": "database: ${requires.db.database}\nport: ${requires.db.port}\n",
        "accounts/berth.yaml": `name: accounts
tasks:
  claim: { run: "echo client_id=client-for-$BERTH_CONSUMER >> $BERTH_OUTPUT", outputs: [client_id] }
processes:
  api: { run: "sleep 600" }
`,
      });
      expect(run(["up", "-d"], "root")).toSucceed();
      expect(readFileSync(join(dir, "root", "seen-config.txt"), "utf8")).toMatch(
        /^database: root\nport: \d+\n$/,
      );
      expect(readFileSync(join(dir, "root", "seen-client.txt"), "utf8")).toBe("client-for-root\n");
      const psql = spawnSync(
        process.execPath,
        [join(import.meta.dirname, "..", "bin", "berth.js"), "db", "shell", "root/db"],
        {
          cwd: join(dir, "root"),
          input: "select current_database();\n",
          encoding: "utf8",
          env: { ...process.env, BERTH_HOME: home },
        },
      );
      expect(psql.stdout).toMatch(/current_database\s*\n-+\n root\n/);
    },
  );

  itWith(
    ["django", "postgres", "psql"],
    "a Django project's own `manage.py migrate` migrates its claim",
    () => {
      const fixture = join(import.meta.dirname, "fixtures", "django");
      const files = Object.fromEntries(
        [
          "manage.py",
          "settings.py",
          "berth.yaml",
          "courses/__init__.py",
          "courses/models.py",
          "courses/migrations/__init__.py",
          "courses/migrations/0001_initial.py",
        ].map((file) => [`root/${file}`, readFileSync(join(fixture, file), "utf8")]),
      );
      const { run } = runtimeWorkspace(files);
      const up = run(["up", "-d"], "root");
      expect(up.stderr).toBe("");
      expect(up.stdout).toContain("✓ migrate:django-courses");
      expect(
        shell(
          run,
          "django-courses",
          "psql \"$DATABASE_URL\" -Atc \"select app || '.' || name from django_migrations where app = 'courses'\"",
        ).stdout,
      ).toBe("courses.0001_initial\n");
      expect(run(["up", "-d"], "root").stdout).toContain("· migrate:django-courses cached");
    },
  );

  itWith(["embedded postgres", "psql"], "the npm-shipped PostgreSQL serves a version the host lacks", () => {
    const { run } = runtimeWorkspace({
      "root/berth.yaml":
        'name: root\nrequires:\n  db: { provider: postgres, version: ">=16" }\nenv:\n  DATABASE_URL: ${requires.db.url}\n',
    });
    expect(run(["up", "-d"], "root")).toSucceed();
    expect(status(run, "root")[0]?.codebase).toMatch(/^postgres@1[6-9]$/);
    const version = shell(run, "root", 'psql "$DATABASE_URL" -Atc "show server_version"');
    expect(version.stdout).toMatch(/^1[6-9]\./);
  });

  itWith(["postgres"], "a version no installed server satisfies is a clear error naming the package", () => {
    const { run } = runtimeWorkspace({
      "root/berth.yaml": "name: root\nrequires:\n  db: { provider: postgres, version: 99 }\n",
    });
    const up = run(["up", "-d"], "root");
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("no installed postgres server satisfies version 99; found");
    expect(up.stderr).toContain("apt-get install postgresql");
  });
});
