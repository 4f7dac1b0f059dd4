import { describe, expect, it } from "vitest";
import { programs, runtimeWorkspace } from "./helpers/runtime.js";

const server = `node ${programs}/server.js`;

/** One codebase with one quick HTTP process. */
const oneProcess = {
  "web/berth.yaml": `name: web
env:
  PORT: \${processes.site.port}
processes:
  site: { run: ${server}, port: auto, ready: { http: / } }
`,
};

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
    expect(up.code).toBe(0);
    expect(run(["up", "-d", "--timeout", "1m30s"]).code).toBe(0);
  });

  it("wait --timeout refuses what is not a duration", () => {
    const { run } = runtimeWorkspace(oneProcess);
    expect(run(["up", "-d"]).code).toBe(0);
    const bad = run(["wait", "--timeout", "soon"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--timeout: "soon" is not a duration');
    const json = run(["wait", "--timeout", "abc", "--json"]);
    expect(JSON.parse(json.stdout).errors[0].message).toBe('--timeout: "abc" is not a duration');
    expect(run(["wait", "--timeout", "30"]).stdout).toBe("✓ ready: web/site\n");
  });
});

describe("berth wait", () => {
  it("fails when nothing of the workspace runs, naming `berth up`", () => {
    const { run } = runtimeWorkspace(oneProcess);
    expect(run(["wait"]).code).toBe(1);
    expect(run(["up", "-d"]).code).toBe(0);
    expect(run(["down"]).code).toBe(0);
    // The supervisor still runs; this workspace has nothing running in it.
    const result = run(["wait", "--timeout", "5s"]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("error nothing of this workspace is running");
    expect(result.stderr).toContain("hint: start it with `berth up -d`, then `berth wait`");
    expect(result.code).toBe(1);
  });
});
