import { appendFileSync, cpSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { alive, runtimeWorkspace, status, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

const examples = join(import.meta.dirname, "..", "examples");

/** A workspace holding a copy of the bundled example, without its installed packages. */
function exampleWorkspace() {
  const workspace = runtimeWorkspace({});
  for (const codebase of readdirSync(examples)) {
    cpSync(join(examples, codebase), join(workspace.dir, codebase), {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  }
  return workspace;
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A new connection each time: a kept-alive one may be to a process restarted since (its close unseen
    // while a synchronous CLI run blocked this loop).
    const req = request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
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
      const { dir, run } = exampleWorkspace();
      const up = run(["up", "-d"], "web");
      expect(up.stderr).toBe("");
      expect(up).toSucceed();
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

      // The README's inner loop: an edit of catalog's server restarts catalog/api, and the page still serves.
      appendFileSync(join(dir, "catalog", "server.js"), "// edited\n");
      const api = () => status(run, "web").find((row) => row.codebase === "catalog" && row.process === "api");
      await until(() => api()?.last_reload?.outcome === "restarted", 20_000, "catalog/api's reload");
      expect(api()?.last_reload?.message).toMatch(/^catalog\/api {2}server\.js changed → restarted, ready/);
      expect((await get(port("web", "site"), "/")).body).toContain("<li>Introduction to Algebra</li>");

      const pids = status(run, "web").map((row) => row.pid ?? 0);
      expect(run(["down"], "web")).toSucceed();
      for (const pid of pids) expect(alive(pid)).toBe(false);
      expect(status(run, "web")).toEqual([]);
    },
    180_000,
  );
});

describe("the bundled example's data", () => {
  itWith(
    ["any postgres", "psql"],
    "a reset of accounts re-registers catalog's client while catalog runs; a restore then up runs no task and the data is identical",
    async () => {
      const { run } = exampleWorkspace();
      expect(run(["up", "-d"], "web")).toSucceed();
      const courses = () =>
        run(
          [
            "exec",
            "catalog",
            "--",
            "sh",
            "-c",
            'psql "$DATABASE_URL" -Atc "select id, title from courses order by id"',
          ],
          "web",
        ).stdout;
      const enroll = async () => {
        const port = status(run, "web").find(
          (row) => row.codebase === "catalog" && row.process === "api",
        )?.port;
        return (await get(port ?? 0, "/courses/1/enroll", { authorization: "Bearer token-ada" }, "POST"))
          .status;
      };
      const before = courses();
      expect(before.split("\n").filter(Boolean)).toHaveLength(30);
      expect(await enroll()).toBe(202);
      expect(run(["snapshot", "save", "demo"], "web")).toSucceed();
      run(
        [
          "exec",
          "catalog",
          "--",
          "sh",
          "-c",
          `psql "$DATABASE_URL" -qc "insert into courses (title, level) values ('Extra', 'x')"`,
        ],
        "web",
      );

      // accounts' data is new: catalog's client is registered again, and catalog restarts with it.
      const reset = run(["seed", "accounts", "--reset", "--yes"], "web");
      expect(reset).toSucceed();
      expect(reset.stdout).toContain("✓ claim:catalog/accounts");
      // web reads only accounts' url: it takes no claim, and keeps running.
      expect(reset.stdout).not.toContain("web/site");
      expect(await enroll()).toBe(202);
      // A reset is no reason to install again, nor to migrate or seed catalog, whose data did not change.
      const afterReset = run(["up", "-d"], "web").stdout;
      for (const task of ["install:accounts", "install:catalog", "migrate:catalog", "seed:catalog"])
        expect(afterReset).toContain(`· ${task} cached`);

      const restore = run(["snapshot", "restore", "demo", "--yes"], "web");
      expect(restore).toSucceed();
      expect(restore.stdout).toContain("restarted");
      expect(restore.stdout).not.toContain("ran again");
      expect(courses()).toBe(before);
      expect(await enroll()).toBe(202);
      const up = run(["up", "-d"], "web");
      expect(up).toSucceed();
      // (A provider claim's step only checks that its database and role exist.)
      expect(up.stdout).not.toMatch(/✓ (install|migrate|seed):|✓ claim:catalog\/accounts/);
      for (const task of ["migrate:accounts", "seed:accounts", "claim:catalog/accounts", "seed:catalog"])
        expect(up.stdout).toContain(`· ${task} cached`);
      expect(courses()).toBe(before);
      expect(await enroll()).toBe(202);

      // A snapshot of accounts alone holds no claim of catalog's: restoring it registers catalog again.
      expect(run(["snapshot", "save", "accounts-only", "accounts"], "web")).toSucceed();
      const partial = run(["snapshot", "restore", "accounts-only", "--yes"], "web");
      expect(partial).toSucceed();
      expect(partial.stdout).toContain("ran again claim:catalog/accounts");
      expect(partial.stdout).toMatch(/restarted .*catalog\/api/);
      expect(await enroll()).toBe(202);
    },
    240_000,
  );
});
