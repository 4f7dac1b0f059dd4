import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { programs, runtimeWorkspace, spawnBerth, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

const server = `node ${programs}/server.js`;
const echo = 'echo "said $DATABASE_URL $DB_WORD $SESSION_VALUE $SIGNING $CLIENT_DSN $CLIENT_ID"';

/**
 * web's processes and tasks echo every kind of secret Berth knows: a provider claim's URL and bare
 * password (under a name that does not look secret), an env_file value, a generated secret and a
 * codebase claim's output marked secret (which the claim task itself prints as it makes it); the claim's
 * other output is no secret and stays visible.
 */
const leaky = {
  "accounts/berth.yaml": `name: accounts
tasks:
  claim:
    run: "echo client_id=cid-$BERTH_CONSUMER >> $BERTH_OUTPUT && echo dsn=dsn-0123456789abcdef >> $BERTH_OUTPUT && echo registered cid-$BERTH_CONSUMER dsn-0123456789abcdef"
    outputs: [client_id, { name: dsn, secret: true }]
processes:
  api: { run: ${server}, port: auto, ready: { tcp: true } }
`,
  "web/.env": "SESSION_VALUE=envfile-value-1234\n",
  "web/berth.yaml": `name: web
requires:
  db: { provider: postgres }
  accounts: { path: ../accounts }
env_file: .env
env:
  DATABASE_URL: \${requires.db.url}
  DB_WORD: \${requires.db.password}
  SIGNING: \${secret.signing}
  CLIENT_DSN: \${requires.accounts.dsn}
  CLIENT_ID: \${requires.accounts.client_id}
tasks:
  migrate: { run: '${echo}' }
  leak: { run: '${echo}; exit 1' }
processes:
  site: { run: '${echo}; exec ${server}', port: auto, ready: { tcp: true } }
`,
};

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((entry) => join(folder, entry))
    .filter((path) => statSync(path).isFile());
}

describe("secrets in output", () => {
  it("env hides a secret that contains another whole, not leaving its tail (x-admin / x-admin-token)", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nenv:\n  ADMIN_PASSWORD: x-admin\n  ADMIN_TOKEN: x-admin-token\n",
    });
    const env = run(["env"]);
    expect(env.stdout).toBe("ADMIN_PASSWORD=****\nADMIN_TOKEN=****\n");
  });

  itWith(
    ["postgres"],
    "logs, logs --json, attached up, task errors and the log files on disk hold no secret",
    async () => {
      const { dir, home, run } = runtimeWorkspace(leaky);
      const up = spawnBerth(["up"], { cwd: join(dir, "web"), home });
      await until(() => /web\/site.*said/.test(up.output()) && up.output().includes("ready"), 60_000, "up");
      up.kill("SIGINT");
      await new Promise((resolve) => up.once("exit", resolve));

      const shown = run(["env", "--show"]).stdout;
      const value = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(shown)?.[1] ?? "";
      const secrets = [value("DB_WORD"), "envfile-value-1234", value("SIGNING"), "dsn-0123456789abcdef"];
      expect(value("SIGNING")).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(value("DB_WORD").length).toBeGreaterThanOrEqual(8);

      const failed = run(["run", "web", "leak"]);
      expect(failed.code).toBe(1);
      const outputs = {
        "attached up": up.output(),
        logs: run(["logs"]).stdout,
        "logs --json": run(["logs", "--json"]).stdout,
        "task error": failed.stderr + failed.stdout,
        "env (masked)": run(["env"]).stdout,
        ...Object.fromEntries(
          filesUnder(join(home, "logs")).map((file) => [file, readFileSync(file, "utf8")]),
        ),
      };
      for (const [where, text] of Object.entries(outputs)) {
        for (const secret of secrets) expect(text, `${where} shows ${secret}`).not.toContain(secret);
      }
      // The lines are there, masked, and what is no secret is left alone.
      for (const where of ["attached up", "logs", "task error"] as const)
        expect(outputs[where]).toMatch(
          /said postgres:\/\/web:\*\*\*\*@127\.0\.0\.1:\d+\/web \*\*\*\* \*\*\*\* \*\*\*\* \*\*\*\* cid-web/,
        );
      expect(outputs.logs).toMatch(/web\/task-migrate.*said/);
      // The claim task's own output hides the secret it has just made, even on its first run.
      expect(outputs.logs).toMatch(/accounts\/task-claim.*registered cid-web \*\*\*\*/);
    },
    120_000,
  );

  itWith(
    ["postgres", "psql"],
    "a server's log hides the password of a claim made while it runs",
    () => {
      const { home, run } = runtimeWorkspace({
        "one/berth.yaml": "name: one\nrequires:\n  db: { provider: postgres }\n",
        "web/berth.yaml":
          "name: web\nrequires:\n  db: { provider: postgres }\nenv:\n  DATABASE_URL: ${requires.db.url}\n  DB_WORD: ${requires.db.password}\n",
      });
      expect(run(["up", "-d"], "one")).toSucceed();
      expect(run(["up", "-d"])).toSucceed();
      const password = /^DB_WORD=(.*)$/m.exec(run(["env", "--show"]).stdout)?.[1] ?? "";
      expect(password.length).toBeGreaterThanOrEqual(8);
      // A failed statement is logged by the server with its text: here, the claim's own password.
      const failed = run([
        "exec",
        "web",
        "--",
        "sh",
        "-c",
        `psql "$DATABASE_URL" -c "select nosuch, '${password}'"`,
      ]);
      expect(failed.code).not.toBe(0);
      const rows = JSON.parse(run(["status", "--json"]).stdout) as { codebase: string }[];
      const server = rows.find((row) => row.codebase.startsWith("postgres@"))?.codebase ?? "postgres@?";
      const logs = run(["logs", server]).stdout + run(["logs", server, "--json"]).stdout;
      expect(logs).toContain("nosuch");
      expect(logs).not.toContain(password);
      for (const file of filesUnder(join(home, "logs")))
        expect(readFileSync(file, "utf8"), file).not.toContain(password);
    },
    120_000,
  );
});

/** A codebase with a generated secret, a process told its port by PORT alone, and an export that uses another. */
const selfish = {
  "web/berth.yaml": `name: web
env:
  SIGNING: \${secret.signing}
  HEALTH: \${self.health}
processes:
  site: { run: 'echo "port=$PORT health=$HEALTH"; exec ${server}', port: auto, ready: { tcp: true } }
exports:
  url: http://127.0.0.1:\${processes.site.port}
  health: \${self.url}/healthz
`,
};

describe("generated secrets, PORT and self exports", () => {
  it("a process gets PORT and ${self.<export>}; a secret is made once, kept 0600, stable across ups", () => {
    const { home, run } = runtimeWorkspace(selfish);
    expect(run(["up", "-d"])).toSucceed();
    const port = JSON.parse(run(["status", "--json"]).stdout)[0]?.port as number;
    expect(run(["logs", "web/site"]).stdout).toContain(
      `port=${port} health=http://127.0.0.1:${port}/healthz`,
    );
    const signing = () => /^SIGNING=(.*)$/m.exec(run(["env", "--show"]).stdout)?.[1];
    const first = signing();
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(join(home, "secrets.json")).mode & 0o777).toBe(0o600);
    expect(run(["env"]).stdout).toContain("SIGNING=****\n");
    run(["down"]);
    expect(run(["up", "-d"])).toSucceed();
    expect(signing()).toBe(first);
  });

  it("PORT set by the manifest wins over the process's own port", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
env:
  PORT: \${processes.site.port}
processes:
  site: { run: ${server}, port: auto, ready: { tcp: true } }
  admin: { run: 'echo "admin sees PORT=$PORT"; sleep 30', port: auto }
`,
    });
    expect(run(["up", "-d"])).toSucceed();
    const rows = JSON.parse(run(["status", "--json"]).stdout) as { process: string; port: number }[];
    const site = rows.find((row) => row.process === "site")?.port;
    const admin = rows.find((row) => row.process === "admin")?.port;
    expect(admin).not.toBe(site);
    expect(run(["logs", "web/admin"]).stdout).toContain(`admin sees PORT=${site}`);
  });

  it("a snapshot keeps the secrets: save, change, restore gives the old secret back", () => {
    const { home, run } = runtimeWorkspace(selfish);
    expect(run(["up", "-d"])).toSucceed();
    const signing = () => /^SIGNING=(.*)$/m.exec(run(["env", "--show"]).stdout)?.[1];
    const saved = signing();
    expect(run(["snapshot", "save", "before"])).toSucceed();
    writeFileSync(join(home, "secrets.json"), "{}\n");
    const changed = signing();
    expect(changed).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(changed).not.toBe(saved);
    const restore = run(["snapshot", "restore", "before", "--yes"]);
    expect(restore.stderr).toBe("");
    expect(signing()).toBe(saved);
  });

  it("a snapshot whose secrets are not as Berth makes them is refused before anything is touched", () => {
    const { home, run } = runtimeWorkspace(selfish);
    expect(run(["up", "-d"])).toSucceed();
    const signing = () => /^SIGNING=(.*)$/m.exec(run(["env", "--show"]).stdout)?.[1];
    signing();
    expect(run(["snapshot", "save", "before"])).toSucceed();
    const current = signing();
    const folder = join(home, "snapshots", "before");
    const manifestFile = join(folder, "manifest.json");
    writeFileSync(join(folder, "web", "secrets.json"), '{ "signing": "$(touch /tmp/owned)" }\n');
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    for (const entry of manifest.entries)
      if (entry.kind === "secrets")
        entry.sha256 = createHash("sha256")
          .update(readFileSync(join(folder, entry.file)))
          .digest("hex");
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const restore = run(["snapshot", "restore", "before", "--yes"]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(
      "web/secrets.json of the snapshot holds `signing`, which is not a secret",
    );
    expect(signing()).toBe(current);
  });
});
