import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { programs, runtimeWorkspace, spawnBerth, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

const server = `node ${programs}/server.js`;
const echo = 'echo "said $DATABASE_URL $DB_WORD $SESSION_VALUE $SIGNING $CLIENT_DSN $CLIENT_ID"';

/**
 * web's processes and tasks echo every kind of secret Berth knows: a provider claim's URL and bare
 * password (under a name that does not look secret), an env_file value, a generated secret and a
 * codebase claim's output marked secret; the claim's other output is no secret and stays visible.
 */
const leaky = {
  "accounts/berth.yaml": `name: accounts
tasks:
  claim:
    run: "echo client_id=cid-$BERTH_CONSUMER >> $BERTH_OUTPUT && echo dsn=dsn-0123456789abcdef >> $BERTH_OUTPUT"
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
    },
    120_000,
  );
});
