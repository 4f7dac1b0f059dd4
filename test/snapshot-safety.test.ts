import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "tar";
import { afterEach, describe, expect } from "vitest";
import { tamper } from "./helpers/archives.js";
import { runtimeWorkspace } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";

type Run = ReturnType<typeof runtimeWorkspace>["run"];
const sh = (run: Run, script: string) => run(["exec", "app", "--", "sh", "-c", script], "app");

/** A path any account can write (a database server runs as `berth`), removed after the test. */
const markers: string[] = [];
afterEach(() => {
  for (const marker of markers.splice(0)) rmSync(marker, { force: true });
});
function marker(): string {
  const path = join(tmpdir(), `berth-marker-${randomBytes(6).toString("hex")}`);
  markers.push(path);
  return path;
}

/** Saves and exports the app's data, then returns the archive as a colleague would send it. */
function exported(run: Run, name: string, cwd = "app"): string {
  expect(run(["snapshot", "save", name], cwd)).toSucceed();
  const archive = join(tempDir(), `${name}.tar.gz`);
  expect(run(["snapshot", "export", name, archive], cwd)).toSucceed();
  return archive;
}

describe("a snapshot archive never runs a command", () => {
  itWith(
    ["mysql", "mysql client"],
    "a MariaDB dump with a client command (\\!) is refused; the command does not run",
    async () => {
      const { run } = runtimeWorkspace({
        "app/berth.yaml": `name: app
requires:
  my: { provider: mysql }
env:
  MY_PORT: \${requires.my.port}
  MY_USER: \${requires.my.user}
  MYSQL_PWD: \${requires.my.password}
  MY_DB: \${requires.my.database}
tasks:
  seed: { run: "mysql -h 127.0.0.1 -P $MY_PORT -u $MY_USER $MY_DB -e 'CREATE TABLE notes (id INT); INSERT INTO notes VALUES (1)'" }
`,
      });
      expect(run(["up", "-d"], "app")).toSucceed();
      const touched = marker();
      const evil = await tamper(exported(run, "clean"), (folder) => {
        const file = join(folder, "app", "my.dump.sql");
        writeFileSync(file, `\\! touch ${touched}\n${readFileSync(file, "utf8")}\nsystem touch ${touched}\n`);
      });
      const mysql = (sql: string) =>
        sh(run, `mysql -h 127.0.0.1 -P $MY_PORT -u $MY_USER $MY_DB -N -e '${sql}'`).stdout;
      mysql("INSERT INTO notes VALUES (2)");
      expect(run(["snapshot", "import", evil, "evil"], "app")).toSucceed();
      const restore = run(["snapshot", "restore", "evil", "--yes"], "app");
      expect(restore.code).toBe(1);
      // Refused, and the data as it was is back.
      expect(restore.stderr).toContain("nothing changed: every database has its data as before");
      expect(mysql("SELECT id FROM notes ORDER BY id")).toBe("1\n2\n");
      // The client parses no `\!` (--binary-mode), and would refuse it in --sandbox mode.
      expect(restore.stderr).toMatch(/Unknown command '\\!'|sandbox/);
      expect(existsSync(touched)).toBe(false);
    },
  );

  itWith(
    ["postgres", "psql"],
    "a PostgreSQL archive can hold neither psql commands nor a server program",
    async () => {
      const app = {
        "app/berth.yaml": `name: app
requires:
  db: { provider: postgres }
env:
  DATABASE_URL: \${requires.db.url}
`,
      };
      // The archive is made by an attacker's workspace; the victim has data of its own.
      const { dir, run: attacker } = runtimeWorkspace(app);
      expect(attacker(["up", "-d"], "app")).toSucceed();
      const { run } = runtimeWorkspace(app);
      expect(run(["up", "-d"], "app")).toSucceed();
      expect(
        sh(run, `psql "$DATABASE_URL" -qc "CREATE TABLE mine (x int); INSERT INTO mine VALUES (7)"`).code,
      ).toBe(0);
      const mine = () => sh(run, 'psql "$DATABASE_URL" -Atc "select x from mine"').stdout;
      const touched = marker();
      // A CHECK constraint that runs a program when the rows are loaded back (not while they are made here).
      writeFileSync(
        join(dir, "app", "evil.sql"),
        `CREATE FUNCTION evil(x int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('evil.disarmed', true) IS DISTINCT FROM 'yes' THEN
    EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'touch ${touched}');
  END IF;
  RETURN true;
END $$;
SET evil.disarmed = 'yes';
CREATE TABLE t (x int CHECK (evil(x)));
INSERT INTO t VALUES (1);
`,
      );
      expect(sh(attacker, 'psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -f evil.sql')).toSucceed();
      const archive = exported(attacker, "clean");

      const program = await tamper(archive, () => {});
      expect(run(["snapshot", "import", program, "program"], "app")).toSucceed();
      const refused = run(["snapshot", "restore", "program", "--yes"], "app");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/pg_execute_server_program|permission denied|superuser/);
      expect(existsSync(touched)).toBe(false);
      // Refused, and the data as it was is back.
      expect(refused.stderr).toContain("nothing changed: every database has its data as before");
      expect(mine()).toBe("7\n");

      // A plain SQL file in the place of the custom-format dump: pg_restore reads no psql commands.
      const text = await tamper(archive, (folder) => {
        writeFileSync(
          join(folder, "app", "db.dump.pgcustom"),
          `--\n-- PostgreSQL database dump\n--\n\n${"SELECT 1;\n".repeat(100)}\\! touch ${touched}\n\\copy t from program 'touch ${touched}'\n`,
        );
      });
      expect(run(["snapshot", "import", text, "text"], "app")).toSucceed();
      const plain = run(["snapshot", "restore", "text", "--yes"], "app");
      expect(plain.code).toBe(1);
      expect(plain.stderr).toMatch(/text format dump|not a valid archive/);
      expect(existsSync(touched)).toBe(false);
      expect(mine()).toBe("7\n");
    },
  );
});

describe("a restore refuses what it cannot load safely, before any change", () => {
  itWith([], "a data folder whose archive holds a link is refused; the folder is untouched", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "app/berth.yaml": "name: app\ndata: [media]\n",
      "app/media/logo.txt": "the original logo\n",
      "app/media/bin/convert.sh": "#!/bin/sh\n",
    });
    chmodSync(join(dir, "app", "media", "bin", "convert.sh"), 0o755);
    const archive = exported(run, "clean");
    const evil = await tamper(archive, async (folder) => {
      const inner = join(tempDir(), "inner");
      mkdirSync(inner);
      symlinkSync("/etc/passwd", join(inner, "logo.txt"));
      await create({ file: join(folder, "app", "data-0.tar"), cwd: inner }, ["."]);
    });
    expect(run(["snapshot", "import", evil, "evil"], "app")).toSucceed();
    const restore = run(["snapshot", "restore", "evil", "--yes"], "app");
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain("logo.txt is a symbolic link, not a regular file");
    expect(readFileSync(join(dir, "app", "media", "logo.txt"), "utf8")).toBe("the original logo\n");
    expect(readdirSync(join(dir, "app")).filter((entry) => entry.includes("restore"))).toEqual([]);

    // The sound snapshot restores the folder exactly, permission bits included.
    writeFileSync(join(dir, "app", "media", "logo.txt"), "changed\n");
    expect(run(["snapshot", "restore", "clean", "--yes"], "app")).toSucceed();
    expect(readFileSync(join(dir, "app", "media", "logo.txt"), "utf8")).toBe("the original logo\n");
    expect(statSync(join(dir, "app", "media", "bin", "convert.sh")).mode & 0o777).toBe(0o755);

    // Nor is a link saved: a snapshot keeps what a restore can load back.
    symlinkSync("/etc/hostname", join(dir, "app", "media", "host"));
    const save = run(["snapshot", "save", "linked"], "app");
    expect(save.code).toBe(1);
    expect(save.stderr).toContain("holds host, which is not a regular file");
    expect(existsSync(join(home, "snapshots", "linked"))).toBe(false);
  });
});

describe("asking before deleting", () => {
  itWith(
    [],
    "snapshot rm asks (refused without a terminal), --yes deletes; a missing archive is not found",
    () => {
      const { run } = runtimeWorkspace({
        "app/berth.yaml": "name: app\ndata: [media]\n",
        "app/media/a": "a\n",
      });
      expect(run(["snapshot", "save", "keep"], "app")).toSucceed();
      const asked = run(["snapshot", "rm", "keep"], "app");
      expect(asked.code).toBe(1);
      expect(asked.stderr).toContain("snapshot keep was kept");
      expect(asked.stderr).toContain("berth snapshot rm keep --yes");
      expect(JSON.parse(run(["snapshot", "list", "--json"], "app").stdout)).toHaveLength(1);
      expect(run(["snapshot", "rm", "keep", "--yes"], "app")).toSucceed();
      expect(JSON.parse(run(["snapshot", "list", "--json"], "app").stdout)).toEqual([]);

      const missing = run(["snapshot", "import", "nosuch.tar.gz"], "app");
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("nosuch.tar.gz is not found");
      expect(missing.stderr).not.toContain("damaged");
    },
  );

  itWith(
    ["postgres", "psql"],
    "seed --reset names the databases it would drop; the next up does not install again",
    () => {
      const { dir, run } = runtimeWorkspace({
        "app/berth.yaml": `name: app
requires:
  db: { provider: postgres }
env:
  DATABASE_URL: \${requires.db.url}
tasks:
  install: { run: "echo installed >> install.log" }
  migrate: { run: "psql \\"$DATABASE_URL\\" -qc 'CREATE TABLE IF NOT EXISTS notes (id int)' && echo migrated >> migrate.log" }
`,
      });
      expect(run(["up", "-d"], "app")).toSucceed();
      const asked = run(["seed", "--reset"], "app");
      expect(asked.code).toBe(1);
      expect(asked.stderr).toContain("nothing was reset; it would drop app/db (postgres app)");
      expect(run(["seed", "--reset", "--yes"], "app")).toSucceed();
      expect(readFileSync(join(dir, "app", "migrate.log"), "utf8")).toBe("migrated\nmigrated\n");
      const up = run(["up", "-d"], "app");
      expect(up.stdout).toContain("· install:app cached");
      expect(readFileSync(join(dir, "app", "install.log"), "utf8")).toBe("installed\n");
    },
  );
});

describe("what a restore tells the task cache", () => {
  itWith(
    ["postgres", "psql"],
    "a migration added after the save runs on the next up; the seed stays done",
    () => {
      const { dir, run } = runtimeWorkspace({
        "app/berth.yaml": `name: app
requires:
  db: { provider: postgres }
env:
  DATABASE_URL: \${requires.db.url}
tasks:
  migrate: { run: "for f in migrations/*.sql; do psql \\"$DATABASE_URL\\" -q -v ON_ERROR_STOP=1 -f $f || exit 1; done", inputs: ["migrations/**"] }
  seed: { run: "psql \\"$DATABASE_URL\\" -qc \\"INSERT INTO notes VALUES (1)\\" && echo seeded >> seed.log" }
`,
        "app/migrations/001.sql": "CREATE TABLE IF NOT EXISTS notes (id int);\n",
      });
      expect(run(["up", "-d"], "app")).toSucceed();
      expect(run(["snapshot", "save", "before"], "app")).toSucceed();
      writeFileSync(
        join(dir, "app", "migrations", "002.sql"),
        "ALTER TABLE notes ADD COLUMN IF NOT EXISTS body text;\n",
      );
      expect(run(["snapshot", "restore", "before", "--yes"], "app")).toSucceed();
      const up = run(["up", "-d"], "app");
      expect(up.stdout).toMatch(/✓ migrate:app/);
      expect(up.stdout).toContain("· seed:app cached");
      expect(sh(run, `psql "$DATABASE_URL" -Atc "select id, body is null from notes"`).stdout).toBe("1|t\n");
      expect(readFileSync(join(dir, "app", "seed.log"), "utf8")).toBe("seeded\n");
    },
  );
});

/** Edits manifest.json of an unpacked archive. */
function editManifest(folder: string, edit: (manifest: Record<string, unknown>) => void): void {
  const file = join(folder, "manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest));
}

describe("what an archive's manifest may name", () => {
  itWith(
    [],
    "a data entry outside the codebase's declared data folders is refused; nothing changes",
    async () => {
      const { dir, run } = runtimeWorkspace({
        "app/berth.yaml": "name: app\ndata: [media]\n",
        "app/media/logo.txt": "the original logo\n",
        "victim/keep.txt": "precious\n",
        "app/notes/keep.txt": "mine\n",
      });
      const archive = exported(run, "clean");
      writeFileSync(join(dir, "app", "media", "logo.txt"), "changed since\n");
      for (const what of ["data:../victim", "data:.", "data:notes", "data:media/../../victim"]) {
        const evil = await tamper(archive, (folder) =>
          editManifest(folder, (manifest) => {
            for (const entry of manifest.entries as { what: string }[]) entry.what = what;
          }),
        );
        const name = `evil-${randomBytes(3).toString("hex")}`;
        expect(run(["snapshot", "import", evil, name], "app")).toSucceed();
        const restore = run(["snapshot", "restore", name, "--yes"], "app");
        expect(restore.code, what).toBe(1);
        expect(restore.stderr).toContain("which its manifest does not declare in `data`");
        expect(readFileSync(join(dir, "victim", "keep.txt"), "utf8")).toBe("precious\n");
        expect(readFileSync(join(dir, "app", "notes", "keep.txt"), "utf8")).toBe("mine\n");
        expect(readFileSync(join(dir, "app", "media", "logo.txt"), "utf8")).toBe("changed since\n");
        expect(readdirSync(dir).sort()).toEqual(["app", "victim"]);
        expect(readdirSync(join(dir, "app")).sort()).toEqual(["berth.yaml", "media", "notes"]);
      }
    },
  );

  itWith([], "a claim output no claim task would make never reaches a command", async () => {
    const touched = marker();
    const { dir, run } = runtimeWorkspace({
      "accounts/berth.yaml": `name: accounts
tasks:
  claim:
    run: "echo token=tok-$BERTH_CONSUMER >> $BERTH_OUTPUT && echo ran >> claims.log"
    outputs: [token]
`,
      "web/berth.yaml": `name: web
requires:
  accounts: { path: ../accounts }
processes:
  site: { run: "echo got \${requires.accounts.token} > token.txt; exec sleep 600" }
`,
    });
    expect(run(["up", "-d"])).toSucceed();
    expect(readFileSync(join(dir, "web", "token.txt"), "utf8")).toBe("got tok-web\n");
    const archive = exported(run, "clean", "web");
    const withToken = (token: string) =>
      tamper(archive, (folder) =>
        editManifest(folder, (manifest) => {
          manifest.claims = { "web#accounts": { token, extra: `$(touch ${touched})` } };
        }),
      );
    expect(run(["snapshot", "import", await withToken(`x; touch ${touched}`), "evil"])).toSucceed();
    expect(run(["snapshot", "restore", "evil", "--yes"])).toSucceed();
    expect(run(["up", "-d"])).toSucceed();
    expect(existsSync(touched)).toBe(false);
    // The claim ran again instead, making its own value.
    expect(readFileSync(join(dir, "accounts", "claims.log"), "utf8")).toBe("ran\nran\n");
    expect(readFileSync(join(dir, "web", "token.txt"), "utf8")).toBe("got tok-web\n");

    // A value a claim task could have made is put back (its undeclared neighbour is not).
    expect(run(["snapshot", "import", await withToken("tok-from-the-archive"), "sound"])).toSucceed();
    expect(run(["snapshot", "restore", "sound", "--yes"])).toSucceed();
    expect(run(["up", "-d"])).toSucceed();
    expect(readFileSync(join(dir, "web", "token.txt"), "utf8")).toBe("got tok-from-the-archive\n");
    expect(readFileSync(join(dir, "accounts", "claims.log"), "utf8")).toBe("ran\nran\n");
    expect(existsSync(touched)).toBe(false);
  });
});

describe("what a reset brings up again", () => {
  itWith(
    ["postgres"],
    "seed --reset of a provider restarts the consumer of its secret claim output, and says what it ran again",
    () => {
      const { dir, run } = runtimeWorkspace({
        "accounts/berth.yaml": `name: accounts
requires:
  db: { provider: postgres }
tasks:
  claim:
    run: "echo token=tok-$(date +%s%N) >> $BERTH_OUTPUT"
    outputs: [{ name: token, secret: true }]
`,
        "web/berth.yaml": `name: web
requires:
  accounts: { path: ../accounts }
processes:
  site: { run: "echo \${requires.accounts.token} > token.txt; exec sleep 600" }
`,
      });
      expect(run(["up", "-d"])).toSucceed();
      const before = readFileSync(join(dir, "web", "token.txt"), "utf8");
      const reset = run(["seed", "accounts", "--reset", "--yes"]);
      expect(reset).toSucceed();
      expect(reset.stdout).toContain("✓ reset; ran again claim:web/accounts; restarted web/site");
      // The token is a secret: said nowhere, but the restarted site has the new one.
      expect(reset.stdout).not.toContain("tok-");
      expect(readFileSync(join(dir, "web", "token.txt"), "utf8")).not.toBe(before);
    },
  );
});
