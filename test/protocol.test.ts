import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SupervisorClient, socketPath } from "../src/supervisor/index.js";
import { runtimeWorkspace } from "./helpers/runtime.js";
import { tempDir } from "./helpers/temp.js";

/** A real supervisor in a temporary state folder, spoken to in raw JSON lines over its socket. */
async function supervisor() {
  const { dir, home } = runtimeWorkspace({ "web/berth.yaml": "name: web\n" });
  const client = await SupervisorClient.connect(home, { start: true });
  client?.close();
  const ask = (frame: unknown): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const socket = connect(socketPath(home));
      let buffered = "";
      socket.on("error", reject);
      socket.on("data", (chunk) => {
        buffered += chunk.toString();
        const line = buffered.split("\n")[0];
        if (!buffered.includes("\n") || line === undefined) return;
        socket.end();
        resolve(JSON.parse(line));
      });
      socket.write(`${typeof frame === "string" ? frame : JSON.stringify(frame)}\n`);
    });
  return { root: join(dir, "web"), ask };
}

describe("the supervisor's protocol", () => {
  it("refuses parameters of the wrong type with BERTH_PROTOCOL naming each issue", async () => {
    const { ask } = await supervisor();
    const answer = await ask({ id: 7, method: "up", params: { root: 42, codebases: "web", env: {} } });
    expect(answer.id).toBe(7);
    const error = answer.error as { code: string; message: string; hint?: string; bug?: boolean };
    expect(error.code).toBe("BERTH_PROTOCOL");
    expect(error.bug).toBeUndefined();
    expect(error.message).toMatch(/^bad up request: /);
    expect(error.message).toContain("root: ");
    expect(error.message).toContain("codebases: ");
    expect(error.message).toContain("trustAll: ");
    expect(error.hint).toContain("berth down --all");
    expect(error.hint).toContain("a library call's options do not match its types");
  });

  it("refuses a request without its root", async () => {
    const { ask } = await supervisor();
    for (const method of ["down", "destroy", "restart", "snapshot-save", "wait"]) {
      const answer = await ask({ id: 3, method, params: {} });
      const error = answer.error as { code: string; message: string };
      expect(error.code).toBe("BERTH_PROTOCOL");
      expect(error.message).toMatch(new RegExp(`^bad ${method} request: .*root: `));
    }
  });

  it("refuses an unknown method and a malformed frame, and keeps serving", async () => {
    const { root, ask } = await supervisor();
    const unknown = await ask({ id: 2, method: "explode", params: {} });
    expect(unknown).toMatchObject({
      id: 2,
      error: { code: "BERTH_PROTOCOL", message: 'unknown method "explode"' },
    });
    // A method name that is a property of every object is no method either.
    const inherited = await ask({ id: 4, method: "toString", params: {} });
    expect(inherited).toMatchObject({ id: 4, error: { code: "BERTH_PROTOCOL" } });
    const frame = await ask({ method: "status", params: {} });
    expect(frame).toMatchObject({ id: 0, error: { code: "BERTH_PROTOCOL" } });
    expect((frame.error as { message: string }).message).toContain("id: ");
    const notAnObject = await ask("[1, 2]");
    expect(notAnObject).toMatchObject({ id: 0, error: { code: "BERTH_PROTOCOL" } });
    // Well-formed requests are still answered.
    expect(await ask({ id: 5, method: "status", params: { root } })).toEqual({ id: 5, result: [] });
    expect(await ask({ id: 6, method: "ping" })).toMatchObject({ id: 6, result: { processes: 0 } });
  });

  it("is checked by the daemon only: `berth status` loads no zod", () => {
    const dir = tempDir();
    const hook = join(dir, "hook.mjs");
    // Prints every module of the built CLI as it loads.
    const resolver = `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes("/dist/")) process.stderr.write("LOADED " + r.url + "\\n"); return r; }`;
    writeFileSync(
      hook,
      `import { register } from "node:module";\nregister("data:text/javascript," + encodeURIComponent(${JSON.stringify(resolver)}));\n`,
    );
    const bin = join(import.meta.dirname, "..", "bin", "berth.js");
    const run = spawnSync(process.execPath, ["--import", hook, bin, "status"], {
      env: { ...process.env, BERTH_HOME: join(dir, "state") },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const loaded = [...run.stderr.matchAll(/^LOADED file:\/\/(.+)$/gm)].map((match) => match[1] ?? "");
    expect(
      loaded.some((file) => file.endsWith("status-command.js") || file.includes("status-command-")),
    ).toBe(true);
    expect(loaded.filter((file) => readFileSync(file, "utf8").includes("ZodError"))).toEqual([]);
  });
});
