import { cpSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { alive, runtimeWorkspace, status } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

const examples = join(import.meta.dirname, "..", "examples");

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the bundled example", () => {
  itWith(
    ["any postgres"],
    "comes up from a clean state folder, serves the seeded courses, checks tokens through accounts, and goes down leaving nothing",
    async () => {
      const { dir, run } = runtimeWorkspace({});
      for (const codebase of readdirSync(examples)) {
        cpSync(join(examples, codebase), join(dir, codebase), {
          recursive: true,
          filter: (source) => !source.includes("node_modules"),
        });
      }
      const up = run(["up", "-d"], "web");
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);
      const rows = status(run, "web");
      const port = (codebase: string, process: string) =>
        rows.find((row) => row.codebase === codebase && row.process === process)?.port ?? 0;

      const page = await get(port("web", "site"), "/");
      expect(page.status).toBe(200);
      expect(page.body.match(/<li>/g)?.length ?? 0).toBeGreaterThanOrEqual(20);
      expect(page.body).toContain("<li>Introduction to Algebra</li>");

      const enrolled = await get(
        port("catalog", "api"),
        "/courses/1/enroll",
        { authorization: "Bearer token-ada" },
        "POST",
      );
      expect(enrolled).toMatchObject({ status: 202 });
      expect(
        (await get(port("catalog", "api"), "/courses/1/enroll", { authorization: "Bearer forged" }, "POST"))
          .status,
      ).toBe(401);

      const pids = rows.map((row) => row.pid ?? 0);
      expect(run(["down"], "web").code).toBe(0);
      for (const pid of pids) expect(alive(pid)).toBe(false);
      expect(status(run, "web")).toEqual([]);
    },
    180_000,
  );
});
