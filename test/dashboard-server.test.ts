import { readFileSync, statSync } from "node:fs";
import { type IncomingMessage, request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ActionProgress, DashboardState, ProcessRow, WorkspaceView } from "../src/dashboard/types.js";
import { twoTier } from "./helpers/manifests.js";
import { alive, programs, runtimeWorkspace, until } from "./helpers/runtime.js";

const worker = `node ${programs}/worker.js`;

type Workspace = ReturnType<typeof runtimeWorkspace>;

/** `berth dashboard --json`, its address taken apart. */
function dashboardOf({ run }: Workspace) {
  const result = run(["dashboard", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  const { url } = JSON.parse(result.stdout) as { url: string };
  const parsed = new URL(url);
  return {
    url,
    stderr: result.stderr,
    port: Number(parsed.port),
    token: parsed.searchParams.get("token") ?? "",
    origin: parsed.origin,
  };
}

/** One request with whatever headers (a wrong Host included, which fetch would not send). */
function call(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers ?? {} },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Signs in as the page does: the token in the address becomes a cookie. */
async function signIn(port: number, token: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/?token=${token}`, { redirect: "manual" });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/");
  const cookie = response.headers.get("set-cookie") ?? "";
  expect(cookie).toContain("HttpOnly");
  expect(cookie).toContain("SameSite=Strict");
  expect(cookie).toMatch(new RegExp(`^berth_dashboard_${port}=${token};`));
  return cookie.split(";")[0] ?? "";
}

interface StreamMessage {
  id: number;
  event: string;
  data: unknown;
}

/** An open /api/events: the messages so far, parsed. */
function openStream(port: number, cookie: string, lastEventId?: number) {
  const messages: StreamMessage[] = [];
  let buffer = "";
  let contentType = "";
  const headers: Record<string, string> = { cookie };
  if (lastEventId !== undefined) headers["last-event-id"] = String(lastEventId);
  const req = request({ host: "127.0.0.1", port, path: "/api/events", headers }, (response) => {
    contentType = String(response.headers["content-type"]);
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((line) => !line.startsWith(":") && line.includes(": "))
            .map((line) => [line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)]),
        );
        if (fields.event)
          messages.push({
            id: Number(fields.id),
            event: fields.event,
            data: JSON.parse(fields.data ?? "null"),
          });
        end = buffer.indexOf("\n\n");
      }
    });
  });
  req.on("error", () => {});
  req.end();
  return { messages, contentType: () => contentType, close: () => req.destroy() };
}

describe("the dashboard's server", () => {
  it("refuses a request without the token, to another Host, an action from another Origin or not JSON", async () => {
    const workspace = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "0"'));
    const { port, token, origin } = dashboardOf(workspace);

    for (const path of ["/", "/api/state", "/api/events", "/assets/app.js"]) {
      const refused = await call(port, path);
      expect(refused.status).toBe(401);
      expect(refused.body).toContain("berth dashboard");
      expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    }
    expect((await call(port, "/?token=wrong")).status).toBe(401);
    // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1.
    const rebound = await call(port, `/?token=${token}`, { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(403);

    const cookie = await signIn(port, token);
    expect((await call(port, "/api/state", { headers: { cookie } })).status).toBe(200);
    expect(
      (await call(port, "/api/state", { headers: { cookie, host: `evil.example:${port}` } })).status,
    ).toBe(403);
    expect(
      (await call(port, "/api/state", { headers: { cookie: `berth_dashboard_${port}=${"x".repeat(43)}` } }))
        .status,
    ).toBe(401);

    const action = JSON.stringify({ action: "restart", root: workspace.dir, target: "api" });
    const json = { cookie, "content-type": "application/json" };
    const foreign = await call(port, "/api/actions", {
      method: "POST",
      headers: { ...json, origin: "http://evil.example" },
      body: action,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
    const noOrigin = await call(port, "/api/actions", { method: "POST", headers: json, body: action });
    expect(noOrigin.status).toBe(403);
    const text = await call(port, "/api/actions", {
      method: "POST",
      headers: { cookie, origin, "content-type": "text/plain" },
      body: action,
    });
    expect(text.status).toBe(415);
    const bad = await call(port, "/api/actions", {
      method: "POST",
      headers: { ...json, origin },
      body: JSON.stringify({ action: "seed-reset", root: workspace.dir, codebase: "api" }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("confirm");

    // No opener on this system (none on PATH): the address is printed and the user told.
    const opened = workspace.run(["dashboard", "--open"], "web", { PATH: "/nonexistent" });
    expect(opened).toSucceed();
    expect(opened.stdout.trim()).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(opened.stderr).toContain("no browser opener here (xdg-open, open)");

    const page = await call(port, "/", { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('src="/assets/app.js"');
    expect(page.body).toContain('href="/assets/app.css"');
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    // Only the page's bundle is served: not the server's own compiled modules, not a path out of the folder.
    expect((await call(port, "/assets/app.js", { headers: { cookie } })).status).toBe(200);
    for (const path of ["/assets/server.js", "/assets/../bundle/berth.js", "/assets/%2e%2e/package.json"])
      expect((await call(port, path, { headers: { cookie } })).status).toBe(404);
  });

  it("keeps its port and token in dashboard.json (0600) across supervisor restarts; a taken port moves, and says so", async () => {
    const workspace = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "0"'));
    const first = dashboardOf(workspace);
    const file = join(workspace.home, "dashboard.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ port: first.port, token: first.token });
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(workspace.run(["down", "--all"])).toSucceed();
    const second = dashboardOf(workspace);
    expect(second.url).toBe(first.url);
    expect((await call(second.port, "/api/state")).status).toBe(401);

    const pid = Number(readFileSync(join(workspace.home, "supervisor.pid"), "utf8"));
    expect(workspace.run(["down", "--all"])).toSucceed();
    await until(() => !alive(pid), 10_000, "the supervisor to stop");
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(first.port, "127.0.0.1", resolve));
    try {
      const third = dashboardOf(workspace);
      expect(third.port).not.toBe(first.port);
      expect(third.token).toBe(first.token);
      expect(third.stderr).toContain(`port ${first.port} is taken`);
      expect(JSON.parse(readFileSync(file, "utf8")).port).toBe(third.port);
    } finally {
      squatter.close();
    }
  });

  it("shows the last up's steps, graph and processes; streams events; acts through the library; resumes a stream", async () => {
    const workspace = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "0"'));
    expect(workspace.run(["up", "-d"])).toSucceed();
    const root = join(workspace.dir, "web");
    const { port, token, origin } = dashboardOf(workspace);
    const cookie = await signIn(port, token);

    const state = JSON.parse(
      (await call(port, "/api/state", { headers: { cookie } })).body,
    ) as DashboardState;
    expect(state.supervisor.pid).toBeGreaterThan(0);
    expect(state.workspaces.map((view) => view.root)).toEqual([root]);
    const [view] = state.workspaces;
    expect(view?.name).toBe("web");
    expect(view?.graph.codebases.map((codebase) => codebase.name)).toEqual(["api", "web"]);
    expect(view?.steps.map((step) => step.state).every((state) => ["done", "skipped"].includes(state))).toBe(
      true,
    );
    expect(view?.steps.map((step) => step.id)).toContain("start:api/http");
    expect(view?.watching).toBe(true);
    const api = state.processes.find((row) => row.codebase === "api");
    expect(api).toMatchObject({ process: "http", state: "ready", roots: [root] });
    expect(api?.pid).toBeGreaterThan(0);

    const stream = openStream(port, cookie);
    await until(() => stream.messages.some((message) => message.event === "status"), 10_000, "a status");
    expect(stream.contentType()).toContain("text/event-stream");
    // Sampled once a second while a page is open: the second sample has a CPU figure.
    await until(
      () =>
        stream.messages.some(
          (message) =>
            message.event === "status" &&
            (message.data as ProcessRow[]).some((row) => typeof row.cpu_percent === "number"),
        ),
      15_000,
      "a CPU figure",
    );

    const posted = await fetch(`http://127.0.0.1:${port}/api/actions`, {
      method: "POST",
      headers: { cookie, origin, "content-type": "application/json" },
      body: JSON.stringify({ action: "restart", root, target: "api/http" }),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    const progress = () =>
      stream.messages
        .filter((message) => message.event === "action" && (message.data as ActionProgress).id === id)
        .map((message) => message.data as ActionProgress);
    await until(() => progress().some((entry) => entry.state !== "running"), 20_000, "the restart");
    expect(progress().map((entry) => entry.state)).toEqual(["running", "done"]);
    expect(progress()[1]?.message).toBe("restarted api/http");
    const runtime = stream.messages.filter((message) => message.event === "runtime");
    expect(
      runtime.some((message) => {
        const { root: of, event } = message.data as { root: string; event: { type: string; state?: string } };
        return of === root && event.type === "process" && event.state === "ready";
      }),
    ).toBe(true);
    await until(
      () =>
        stream.messages.some(
          (message) =>
            message.event === "status" &&
            (message.data as ProcessRow[]).some(
              (row) => row.codebase === "api" && row.pid !== api?.pid && row.state === "ready",
            ),
        ),
      10_000,
      "the new pid in a status",
    );
    const ids = stream.messages.map((message) => message.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    stream.close();

    // Reconnecting with the id of the action's start: every message after it, nothing before.
    const start = stream.messages.find((message) => message.event === "action")?.id ?? 0;
    const resumed = openStream(port, cookie, start);
    await until(
      () => resumed.messages.some((message) => message.event === "action"),
      10_000,
      "the replayed messages",
    );
    expect(resumed.messages[0]?.id).toBeGreaterThan(start);
    expect(
      (resumed.messages.find((message) => message.event === "action")?.data as ActionProgress | undefined)
        ?.state,
    ).toBe("done");
    resumed.close();
    // An id older than what is kept (from another supervisor): start over.
    const stale = openStream(port, cookie, 1);
    await until(() => stale.messages.length > 0, 10_000, "the reset");
    expect(stale.messages[0]?.event).toBe("reset");
    stale.close();

    const logs = await call(
      port,
      `/api/logs?root=${encodeURIComponent(root)}&target=api/http&grep=${encodeURIComponent("^listening")}`,
      { headers: { cookie } },
    );
    expect(logs.status).toBe(200);
    const { lines } = JSON.parse(logs.body) as { lines: { codebase: string; name: string; l: string }[] };
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((line) => line.codebase === "api" && line.l.startsWith("listening"))).toBe(true);
    const unknown = await call(port, `/api/logs?root=${encodeURIComponent("/nowhere")}`, {
      headers: { cookie },
    });
    expect(unknown.status).toBe(400);

    // After `down`, what ran is still listed, stopped, with the workspace it belonged to.
    expect(workspace.run(["down"])).toSucceed();
    const after = JSON.parse(
      (await call(port, "/api/state", { headers: { cookie } })).body,
    ) as DashboardState;
    expect(after.processes.map((row) => [row.codebase, row.state, row.pid])).toEqual([
      ["api", "stopped", null],
      ["web", "stopped", null],
    ]);
    expect(after.workspaces.map((view) => view.root)).toEqual([root]);
  });

  it("tells an open page an up's steps and what they wait for, with the workspace's root, as they happen", async () => {
    const slow = twoTier('LISTEN_AFTER_MS: "1500"');
    const workspace = runtimeWorkspace(slow);
    const root = join(workspace.dir, "web");
    const { port, token } = dashboardOf(workspace);
    const cookie = await signIn(port, token);
    const stream = openStream(port, cookie);
    await until(() => stream.contentType() !== "", 10_000, "the stream");
    expect(workspace.run(["up", "-d"])).toSucceed();
    const runtime = () =>
      stream.messages
        .filter((message) => message.event === "runtime")
        .map(
          (message) =>
            message.data as { root: string | null; event: { type: string; step?: string; reason?: string } },
        );
    await until(() => runtime().some(({ event }) => event.type === "step"), 10_000, "the steps");
    const waiting = runtime().find(({ event }) => event.type === "waiting");
    expect(waiting?.root).toBe(root);
    expect(waiting?.event.reason).toMatch(/api/);
    expect(
      runtime()
        .filter(({ event }) => event.type === "step")
        .every((message) => message.root === root),
    ).toBe(true);
    const lastViews = () =>
      (stream.messages.filter((message) => message.event === "workspaces").at(-1)?.data ??
        []) as WorkspaceView[];
    // Told again once the steps settle.
    await until(
      () => lastViews()[0]?.steps.find((step) => step.id === "start:api/http")?.state === "done",
      10_000,
      "the workspaces told with the up done",
    );
    expect(lastViews().map((view) => view.root)).toEqual([root]);
    stream.close();
  });

  it("gives a crashed process's exit code and last lines", async () => {
    const workspace = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  EXIT_AFTER_MS: "50"\nprocesses:\n  worker: { run: ${worker}, restart: "no" }\n`,
    });
    workspace.run(["up", "-d"]);
    const { port, token } = dashboardOf(workspace);
    const cookie = await signIn(port, token);
    let row: ProcessRow | undefined;
    const deadline = Date.now() + 10_000;
    while (row?.state !== "crashed" && Date.now() < deadline) {
      const response = await call(port, "/api/state", { headers: { cookie } });
      row = (JSON.parse(response.body) as DashboardState).processes[0];
      if (row?.state !== "crashed") await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(row?.state).toBe("crashed");
    expect(row?.last_lines).toContain("worker started");
    expect(row?.exit_code).not.toBeNull();
  });
});
