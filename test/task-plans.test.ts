import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { server, tokenApi, tokenWeb } from "./helpers/manifests.js";
import { runtimeWorkspace, status } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

/**
 * api registers each consumer with its claim task (after its own seed and once its process is ready); web's
 * tasks read the token it writes. Every task appends a line to a log in the workspace, to count its runs.
 */
const claimed = {
  "api/berth.yaml": tokenApi(
    { seed: '{ run: "echo seeded >> ../runs.log" }' },
    'echo "claim $BERTH_CONSUMER" >> ../runs.log; ',
  ),
  "web/berth.yaml": tokenWeb({
    migrate: `{ run: 'echo "web migrate $TOKEN" >> ../runs.log' }`,
    seed: `{ run: 'echo "web seed $TOKEN" >> ../runs.log' }`,
  }),
};

const runs = (dir: string) => {
  const log = join(dir, "runs.log");
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
};

describe("berth migrate, seed and run plan what the task's environment needs", () => {
  it("on a fresh state folder, the task of a consumer of a codebase claim gets the claim's outputs", () => {
    const { run, dir } = runtimeWorkspace(claimed);
    const task = run(["run", "web", "seed"]);
    expect(task.stderr).toBe("");
    expect(task).toSucceed();
    expect(runs(dir)).toEqual(["seeded", "claim web", "web seed t-web"]);

    const migrate = run(["migrate", "web"]);
    expect(migrate.stderr).toBe("");
    expect(migrate).toSucceed();
    expect(runs(dir)).toEqual(["seeded", "claim web", "web seed t-web", "web migrate t-web"]);
  });

  it("berth seed of a fresh state folder runs the providing codebase first, then migrate and seed", () => {
    const { run, dir } = runtimeWorkspace(claimed);
    const seed = run(["seed"]);
    expect(seed.stderr).toBe("");
    expect(seed).toSucceed();
    expect(runs(dir)).toEqual(["seeded", "claim web", "web migrate t-web", "web seed t-web"]);
  });

  it("with everything up, berth run runs only the task", () => {
    const { run, dir } = runtimeWorkspace(claimed);
    expect(run(["up", "-d"])).toSucceed();
    const before = runs(dir);
    expect(before).toEqual(["seeded", "claim web", "web migrate t-web", "web seed t-web"]);
    const task = run(["run", "web", "seed"]);
    expect(task.stderr).toBe("");
    expect(task).toSucceed();
    expect(runs(dir)).toEqual([...before, "web seed t-web"]);
  });

  it("when the claim's outputs are made and current, nothing of the providing codebase runs or starts", () => {
    const { run, dir } = runtimeWorkspace(claimed);
    expect(run(["up", "-d"])).toSucceed();
    expect(run(["down"])).toSucceed();
    const before = runs(dir);
    const task = run(["run", "web", "seed"]);
    expect(task.stderr).toBe("");
    expect(task).toSucceed();
    expect(task.stdout).toContain("· claim:web/api cached");
    expect(runs(dir)).toEqual([...before, "web seed t-web"]);
    expect(status(run)).toEqual([]);

    // A changed claim command is a new registration: the providing codebase runs for it again.
    writeFileSync(
      join(dir, "api", "berth.yaml"),
      claimed["api/berth.yaml"].replace("token=t-$BERTH_CONSUMER", "token=t2-$BERTH_CONSUMER"),
    );
    const again = run(["run", "web", "seed"]);
    expect(again.stderr).toBe("");
    expect(runs(dir).slice(before.length + 1)).toEqual(["claim web", "web seed t2-web"]);
    expect(status(run).map((row) => `${row.codebase}/${row.process} ${row.state}`)).toEqual([
      "api/http ready",
    ]);
  });

  itWith(
    ["postgres", "psql"],
    "seed --reset of a consumer drops only its own data, not its provider's",
    () => {
      const notes = `"psql \\"$DATABASE_URL\\" -qc 'CREATE TABLE IF NOT EXISTS notes (id int); INSERT INTO notes VALUES (1)'"`;
      const { run, dir } = runtimeWorkspace({
        "api/berth.yaml": `name: api
requires:
  db: { provider: postgres }
env:
  DATABASE_URL: \${requires.db.url}
  PORT: \${processes.http.port}
tasks:
  seed: { run: ${notes.replace(/"$/, ' && echo seeded >> ../runs.log"')} }
  claim: { run: 'echo "token=t-$BERTH_CONSUMER" > "$BERTH_OUTPUT"', outputs: [token] }
processes:
  http: { run: ${server}, port: auto, ready: { http: / } }
`,
        "web/berth.yaml": `name: web
requires:
  api: { path: ../api }
  db: { provider: postgres }
env:
  DATABASE_URL: \${requires.db.url}
  TOKEN: \${requires.api.token}
tasks:
  seed: { run: ${notes} }
`,
      });
      const count = (codebase: string) =>
        run(["exec", codebase, "--", "sh", "-c", `psql "$DATABASE_URL" -Atc 'select count(*) from notes'`])
          .stdout;
      expect(run(["up", "-d"])).toSucceed();
      expect([count("api"), count("web")]).toEqual(["1\n", "1\n"]);
      // A changed claim: the reset plans the providing codebase too, and must leave its data alone.
      const api = join(dir, "api", "berth.yaml");
      writeFileSync(api, readFileSync(api, "utf8").replace("token=t-", "token=t2-"));
      const reset = run(["seed", "--reset", "--yes"]);
      expect(reset.stderr).toBe("");
      expect(reset).toSucceed();
      expect([count("api"), count("web")]).toEqual(["1\n", "1\n"]);
      expect(runs(dir)).toEqual(["seeded"]);
    },
  );
});

describe("before the first up", () => {
  it("env, exec and shell of a codebase whose values are not made yet fail naming `berth up`", () => {
    const { run } = runtimeWorkspace(claimed);
    for (const args of [["env"], ["env", "--show"], ["exec", "web", "--", "true"], ["shell", "web"]]) {
      const result = run(args);
      expect(result.stderr, args.join(" ")).toContain("error ${requires.api.token} of web has no value yet");
      expect(result.stderr).toContain("`berth up` runs claims before the tasks and processes that need them");
      expect(result.code, args.join(" ")).toBe(1);
    }
    const api = run(["exec", "api", "--", "true"], "api");
    expect(api.stderr).toContain("error ${processes.http.port} of api has no value yet");
    expect(api.stderr).toContain("an `auto` port is chosen by the first `berth up`; run it first");
    expect(api.code).toBe(1);
  });

  it("exec gets the files its env points at, rendered as a process gets them", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
env:
  CONFIG: \${files.conf}
files:
  conf: { template: conf.tmpl }
`,
      "web/conf.tmpl": "dir=${self.dir}\n",
    });
    const result = run(["exec", "web", "--", "sh", "-c", 'cat "$CONFIG"']);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^dir=\/.*\/web\n$/);
  });
});
