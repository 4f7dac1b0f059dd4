import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { berth } from "./helpers/cli.js";
import { commit, initRepo } from "./helpers/git.js";
import { oneProcess, tokenApi, tokenWeb } from "./helpers/manifests.js";
import { runtimeWorkspace } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

describe("durations on the command line", () => {
  it("up --timeout takes a bare number as seconds, and refuses what is not a duration, naming the flag", () => {
    const { run } = runtimeWorkspace(oneProcess);
    const bad = run(["up", "-d", "--timeout", "abc"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error --timeout: "abc" is not a duration');
    expect(bad.stderr).toContain("hint: write e.g. 90s, 5m, 1h30m or 500ms (a bare number is seconds)");
    expect(run(["status", "--json"]).stdout).not.toContain("web/site");

    const up = run(["up", "-d", "--timeout", "90"]);
    expect(up.stderr).toBe("");
    expect(up).toSucceed();
    expect(run(["up", "-d", "--timeout", "1m30s"])).toSucceed();
  });

  it("wait --timeout refuses what is not a duration", () => {
    const { run } = runtimeWorkspace(oneProcess);
    expect(run(["up", "-d"])).toSucceed();
    const bad = run(["wait", "--timeout", "soon"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--timeout: "soon" is not a duration');
    const json = run(["wait", "--timeout", "abc", "--json"]);
    expect(JSON.parse(json.stdout).errors[0].message).toBe('--timeout: "abc" is not a duration');
    expect(run(["wait", "--timeout", "30"]).stdout).toBe("✓ ready: web/site\n");
  });
});

describe("berth wait", () => {
  it("fails when nothing of the workspace runs, naming `berth up`, in the same words with or without a supervisor", () => {
    const { run } = runtimeWorkspace(oneProcess);
    const saying = () => [run(["wait", "--timeout", "5s"]), run(["restart", "web"])];
    const withoutSupervisor = saying();
    expect(run(["up", "-d"])).toSucceed();
    expect(run(["down"])).toSucceed();
    // The supervisor still runs; this workspace has nothing running in it.
    const withSupervisor = saying();
    for (const [wait, restart] of [withoutSupervisor, withSupervisor]) {
      expect(wait?.stdout).toBe("");
      expect(wait?.stderr).toBe(
        "error nothing of this workspace is running\n  hint: start it with `berth up -d`, then `berth wait`\n",
      );
      expect(wait?.code).toBe(1);
      expect(restart?.stderr).toBe("error nothing of web is running\n  hint: start it with `berth up`\n");
      expect(restart?.code).toBe(1);
    }
  });
});

/** api registers each consumer with its claim task; web reads the token it writes. */
const claimed = {
  "api/berth.yaml": tokenApi({ seed: '{ run: "true" }' }),
  "web/berth.yaml": tokenWeb({ seed: '{ run: "true" }' }),
};

describe("unknown names", () => {
  it("run of a task or codebase that does not exist fails with a did-you-mean", () => {
    const { run } = runtimeWorkspace(claimed);
    const task = run(["run", "web", "sed"]);
    expect(task.code).toBe(1);
    expect(task.stderr).toContain("error no task is named `sed` in codebase web");
    expect(task.stderr).toContain("hint: did you mean `seed`?");
    const other = run(["run", "web", "nosuch"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("hint: codebase web has: seed");
    const codebase = run(["run", "wbe", "seed"]);
    expect(codebase.code).toBe(1);
    expect(codebase.stderr).toContain("error no codebase is named `wbe` in this workspace");
    expect(codebase.stderr).toContain("hint: did you mean `web`?");
    expect(run(["run", "api", "seed"])).toSucceed();
  });

  it("a process that does not exist is an error with a did-you-mean, not nothing to do", () => {
    const { run } = runtimeWorkspace(oneProcess);
    expect(run(["up", "-d"])).toSucceed();
    for (const command of ["restart", "wait", "down"]) {
      const result = run([command, "web/sit"]);
      expect(result.code, command).toBe(1);
      expect(result.stderr).toContain("error no process is named `sit` in codebase web");
      expect(result.stderr).toContain("hint: did you mean `site`?");
    }
    expect(run(["restart", "web/site"])).toSucceed();
  });

  it("a claim task run by hand needs --for, then registers that consumer as its up would", () => {
    const { run } = runtimeWorkspace(claimed);
    const bare = run(["run", "api", "claim"]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain(
      "error api's claim task registers one consumer at a time; say which with --for",
    );
    expect(bare.stderr).toContain("hint: e.g. `berth run api claim --for web` (its consumers: web)");
    const stranger = run(["run", "api", "claim", "--for", "wb"]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain(
      "error no consumer of api's claim task is named `wb` in this workspace",
    );
    expect(stranger.stderr).toContain("hint: did you mean `web`?");
    const notClaim = run(["run", "api", "seed", "--for", "web"]);
    expect(notClaim.stderr).toContain("--for names the consumer of a claim task, not of seed");

    const claim = run(["run", "api", "claim", "--for", "web"]);
    expect(claim.stderr).toBe("");
    expect(claim).toSucceed();
    expect(claim.stdout).toContain("claim:web/api");
    expect(run(["env", "web", "--show"]).stdout).toContain("TOKEN=t-web\n");
  });
});

describe("berth update", () => {
  it("of a name no git requirement has fails with a did-you-mean and moves no pin", () => {
    const dir = tempDir();
    const repo = join(dir, "payments");
    initRepo(repo);
    const first = commit(repo, { "berth.yaml": "name: payments\n" }, "first");
    mkdirSync(join(dir, "web"));
    writeFileSync(
      join(dir, "web", "berth.yaml"),
      "name: web\nrequires:\n  pay: { git: ../payments, ref: main }\n",
    );
    const home = join(tempDir(), "state");
    const cli = (...args: string[]) => berth(args, { cwd: join(dir, "web"), home });
    expect(cli("validate")).toSucceed();
    const lock = readFileSync(join(dir, "web", "berth.lock"), "utf8");
    expect(lock).toContain(first);
    commit(repo, { "berth.yaml": "name: payments\n# second\n" }, "second");

    const typo = cli("update", "pya");
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("error no git requirement is named `pya` in this workspace");
    expect(typo.stderr).toContain("hint: did you mean `pay`?");
    const both = cli("update", "pay", "nosuch");
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("no git requirement is named `nosuch`");
    expect(readFileSync(join(dir, "web", "berth.lock"), "utf8")).toBe(lock);

    expect(cli("update", "pay")).toSucceed();
    expect(readFileSync(join(dir, "web", "berth.lock"), "utf8")).not.toContain(first);
  });
});

describe("berth db", () => {
  itWith(
    ["postgres", "redis", "psql", "redis-cli"],
    "db shell passes what follows -- to the client; names what is wrong with a target; --out is private; diff --json",
    () => {
      const { dir, run } = runtimeWorkspace({
        "app/berth.yaml": `name: app
requires:
  db: { provider: postgres }
  cache: { provider: redis }
  web: { path: ../web }
processes:
  api: { run: "sleep 600" }
`,
        "web/berth.yaml": "name: web\nrequires:\n  lib: { path: ../lib }\n  mc: { provider: memcached }\n",
        "lib/berth.yaml": "name: lib\n",
      });
      const none = run(["db", "shell", "web"], "app");
      expect(none.code).toBe(1);
      expect(none.stderr).toContain("error web has no database claims");
      expect(none.stderr).toContain(
        "hint: its requires: lib (codebase lib), mc (memcached); a database claim is a postgres, mysql or redis requirement",
      );
      expect(run(["db", "shell", "app/db"], "app").stderr).toContain("error app/db is not claimed yet");
      expect(run(["up", "-d"], "app")).toSucceed();

      const sql = run(["db", "shell", "app/db", "--", "-Atc", "select 1"], "app");
      expect(sql.stderr).toBe("");
      expect(sql).toMatchObject({ code: 0, stdout: "1\n" });
      expect(run(["db", "shell", "app/cache", "--", "set", "greeting", "hello"], "app").stdout).toBe("OK\n");
      expect(run(["db", "shell", "app/cache", "--", "get", "greeting"], "app").stdout).toBe("hello\n");
      const which = run(["db", "shell", "app"], "app");
      expect(which.stderr).toContain("error app has 2 database claims; say which");
      expect(which.stderr).toContain("hint: one of app/db, app/cache");
      const typo = run(["db", "shell", "app/dbb"], "app");
      expect(typo.stderr).toContain("error no database claim is named `dbb` in codebase app");
      expect(typo.stderr).toContain("hint: did you mean `db`?");

      const file = join(dir, "schema.sql");
      expect(run(["db", "schema", "app/db", "--out", file], "app")).toSucceed();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const same = run(["db", "diff", "app/db", file, "--json"], "app");
      expect(same).toSucceed();
      expect(JSON.parse(same.stdout)).toEqual({ target: "app/db", reference: file, matches: true, diff: "" });
      run(["db", "shell", "app/db", "--", "-c", "create table t (id int)"], "app");
      const differs = run(["db", "diff", "app/db", file, "--json"], "app");
      expect(differs.code).toBe(1);
      expect(JSON.parse(differs.stdout)).toMatchObject({
        matches: false,
        diff: expect.stringContaining("+CREATE TABLE public.t"),
      });
    },
  );
});

describe("folders and files Berth cannot use", () => {
  it("-C of a folder that does not exist fails, naming it", () => {
    const cwd = tempDir();
    const result = berth(["-C", join(cwd, "nonexistent"), "status"], { cwd, home: join(cwd, "state") });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error -C ${join(cwd, "nonexistent")}: no such folder`);
  });

  it("an unreadable berth.yaml is a user error naming the file, not a bug", () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, "web"));
    writeFileSync(join(dir, "web", "berth.yaml"), "name: web\n", { mode: 0o000 });
    const bin = join(import.meta.dirname, "..", "bin", "berth.js");
    const args = [process.execPath, bin, "-C", join(dir, "web"), "validate"];
    // Root reads any file whatever its mode, so as root another account reads it.
    const [command = "", ...rest] =
      process.getuid?.() === 0 ? ["runuser", "-u", "nobody", "--", ...args] : args;
    const result = spawnSync(command, rest, {
      encoding: "utf8",
      env: { ...process.env, BERTH_HOME: join(dir, "state"), NO_COLOR: "1" },
    });
    expect(result.stderr).toContain(
      `error ${join(dir, "web", "berth.yaml")}:1:1 this manifest cannot be read: permission denied`,
    );
    expect(result.stderr).toContain("hint: the user running Berth must be able to read it");
    expect(result.status).toBe(1);
  });
});

describe("berth plan", () => {
  it("under BERTH_TRUST=1 or --trust does not call manifests untrusted", () => {
    const dir = writeTree({ "web/berth.yaml": "name: web\n" });
    const home = join(tempDir(), "state");
    const cwd = join(dir, "web");
    expect(berth(["plan"], { cwd, home }).stdout).toContain("untrusted berth.yaml");
    expect(berth(["plan"], { cwd, home, env: { BERTH_TRUST: "1" } }).stdout).not.toContain("untrusted");
    expect(berth(["plan", "--trust"], { cwd, home }).stdout).not.toContain("untrusted");
  });
});
