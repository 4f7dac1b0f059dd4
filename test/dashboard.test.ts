import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect } from "vitest";
import { launchBrowser } from "./helpers/browser.js";
import { dashboardUrl, openDashboard, row, send, signIn } from "./helpers/dashboard.js";
import { exampleWorkspace } from "./helpers/example.js";
import { runtimeWorkspace, status } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

let browser: Browser | undefined;
async function chromium(): Promise<Browser> {
  browser ??= await launchBrowser();
  return browser;
}
afterAll(async () => {
  await browser?.close();
});

const RUNNING = ["pending", "starting", "ready", "backoff", "stopping"];
const WAIT = { timeout: 60_000 };

/** The little of the page's DOM the checks below read (this file is typed without the DOM lib). */
interface Element {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelector(selector: string): Element | null;
}
interface PageGlobals {
  document: {
    querySelector(selector: string): Element | null;
    querySelectorAll(selector: string): Element[];
  };
}

describe("the dashboard over the bundled example", () => {
  itWith(
    ["any postgres", "chromium"],
    "shows the processes with links, the graph and the steps; finds a seeded line; restarts catalog/api; resets a seed after asking; shows a down; ups a codebase",
    async () => {
      const { run } = exampleWorkspace();
      const up = run(["up", "-d"], "web");
      expect(up.code, up.stderr).toBe(0);
      const rows = status(run, "web");
      const page = await openDashboard(
        await chromium(),
        dashboardUrl((args) => run(args, "web")),
      );

      for (const name of ["accounts/api", "catalog/api", "catalog/worker", "web/site"]) {
        await page.locator(`${row(name)}[data-state="ready"]`).waitFor(WAIT);
      }
      for (const { codebase, process, port } of rows) {
        if (port === null || process === "server") continue;
        const link = page.locator(`${row(`${codebase}/${process}`)} a[href="http://127.0.0.1:${port}"]`);
        expect(await link.count(), `${codebase}/${process}'s port link`).toBe(1);
      }

      for (const name of ["web", "catalog", "accounts"]) {
        await page
          .locator(`[data-testid="graph-node"][data-kind="codebase"][data-name="${name}"]`)
          .waitFor(WAIT);
      }
      await page
        .locator('[data-testid="graph-node"][data-kind="provider"][data-name^="postgres"]')
        .waitFor(WAIT);
      await page.locator('[data-testid="step"][data-id="seed:catalog"]').waitFor(WAIT);

      await page.locator('[data-testid="log-line"]').last().waitFor(WAIT);
      if (process.env.BERTH_SCREENSHOT === "1") {
        const docs = join(import.meta.dirname, "..", "docs");
        mkdirSync(docs, { recursive: true });
        await page.screenshot({ path: join(docs, "dashboard.png"), fullPage: true });
      }

      await page.locator('[data-testid="log-search"]').fill("seeded 30 courses");
      await page
        .locator('[data-testid="log-line"]', { hasText: "seeded 30 courses" })
        .locator("mark", { hasText: "seeded 30 courses" })
        .first()
        .waitFor(WAIT);
      await page.locator('[data-testid="log-search"]').fill("");

      // Every text the state cell shows is kept: "restarting" may last less than a poll.
      const api = row("catalog/api");
      const pidBefore = await page.locator(`${api} [data-testid="pid"]`).textContent();
      await page.evaluate(`(() => {
        const seen = (window.restartStates = []);
        new MutationObserver(() => {
          seen.push(document.querySelector(${JSON.stringify(`${api} [data-testid="state"]`)})?.textContent ?? "");
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      await page.locator(`${api} [data-testid="restart"]`).click();
      // The page's CSP forbids evaluating strings: the checks that wait are functions.
      await page.waitForFunction(
        ([selector, before]) => {
          const row = (globalThis as unknown as PageGlobals).document.querySelector(selector);
          return (
            row?.dataset.state === "ready" &&
            row.querySelector('[data-testid="pid"]')?.textContent !== before &&
            !row.querySelector('[data-testid="state"]')?.textContent?.includes("…")
          );
        },
        [api, pidBefore] as const,
        WAIT,
      );
      const seen = (await page.evaluate("window.restartStates")) as string[];
      expect(seen.some((text) => text.startsWith("restarting"))).toBe(true);
      await page
        .locator('[data-testid="action"][data-state="done"]', { hasText: "restart catalog/api" })
        .waitFor(WAIT);
      const pidAfter = await page.locator(`${api} [data-testid="pid"]`).textContent();
      const restarted = status(run, "web").find((row) => row.codebase === "catalog" && row.process === "api");
      expect(pidAfter).toBe(String(restarted?.pid));

      // A destructive action asks first: cancelled, nothing is sent; confirmed, it runs and says how it went.
      const resetSeed = page.locator('[data-testid="step"][data-id="seed:catalog"] button', {
        hasText: "reset",
      });
      const resetAction = page.locator('[data-testid="action"]', { hasText: "reset catalog seed" });
      await resetSeed.click();
      await page.locator('[data-testid="confirm"]').waitFor(WAIT);
      await page.locator('[data-testid="confirm-no"]').click();
      await page.locator('[data-testid="confirm"]').waitFor({ state: "detached", ...WAIT });
      expect(await resetAction.count()).toBe(0);
      await resetSeed.click();
      await page.locator('[data-testid="confirm-yes"]').click();
      await resetAction.and(page.locator('[data-state="done"]')).waitFor(WAIT);
      await page.locator(`${api}[data-state="ready"]`).waitFor(WAIT);

      expect(run(["down"], "web")).toSucceed();
      await page.waitForFunction(
        (running) =>
          [...(globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid="process-row"]')]
            .filter((row) => !row.dataset.name?.endsWith("/server"))
            .every((row) => !running.includes(row.dataset.state ?? "")),
        RUNNING,
        WAIT,
      );
      await page
        .locator('[data-testid="codebase"][data-name="catalog"]', { hasText: "not running" })
        .waitFor(WAIT);

      // `up` of a codebase that is not running starts it with what it requires.
      await page
        .locator('[data-testid="codebase"][data-name="catalog"] tr.group button', { hasText: /^up$/ })
        .click();
      await page.locator(`${row("accounts/api")}[data-state="ready"]`).waitFor(WAIT);
      await page.locator(`${api}[data-state="ready"]`).waitFor(WAIT);
      await page.close();
    },
    240_000,
  );
});

describe("the dashboard", () => {
  itWith(
    ["chromium"],
    "shows a crashed process with its exit code and last lines; re-runs a task",
    async () => {
      const { run } = runtimeWorkspace({
        "crash/berth.yaml": `name: crash
tasks:
  install: { run: "echo installed at $(date +%s%N)" }
processes:
  boom: { run: "echo loading; sleep 1; echo 'fatal: no config at /etc/boom.conf' >&2; exit 3", restart: "no" }
`,
      });
      run(["up", "-d"], "crash");
      const page = await openDashboard(
        await chromium(),
        dashboardUrl((args) => run(args, "crash")),
      );
      await page.locator(`${row("crash/boom")}[data-state="crashed"]`).waitFor(WAIT);
      const last = page.locator('[data-testid="last-lines"][data-name="crash/boom"]');
      await last.filter({ hasText: "fatal: no config at /etc/boom.conf" }).waitFor(WAIT);
      expect(await last.textContent()).toContain("exit code 3");

      // Re-running a task from the steps of the last up: its progress, then a second run in the logs.
      await page.locator('[data-testid="step"][data-id="install:crash"] button', { hasText: "run" }).click();
      await page
        .locator('[data-testid="action"][data-state="done"]', { hasText: "run crash install" })
        .waitFor(WAIT);
      await page.locator('[data-testid="log-search"]').fill("installed at");
      await page.waitForFunction(
        () =>
          (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid="log-line"]')
            .length === 2,
        undefined,
        WAIT,
      );
      await page.close();
    },
  );

  itWith([], "refuses a request without its token, and an action from another origin", async () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  idle: { run: "sleep 300" }
`,
    });
    expect(run(["up", "-d"])).toSucceed();
    const url = dashboardUrl((args) => run(args));
    const cookie = await signIn(url);
    const cookieName = cookie.slice(0, cookie.indexOf("="));
    const allowed = await send(url, "/api/state", { headers: { cookie } });
    expect(allowed.status).toBe(200);
    const root = (JSON.parse(allowed.body) as { workspaces: { root: string }[] }).workspaces[0]?.root;

    expect([401, 403]).toContain((await send(url, "/api/state")).status);
    expect([401, 403]).toContain((await send(url, "/api/events")).status);
    expect([401, 403]).toContain(
      (await send(url, "/api/state", { headers: { cookie: `${cookieName}=${"x".repeat(43)}` } })).status,
    );

    const restart = (origin: string) =>
      send(url, "/api/actions", {
        method: "POST",
        headers: { cookie, origin, "content-type": "application/json" },
        body: JSON.stringify({ action: "restart", root, target: "web/idle" }),
      });
    expect((await restart("http://evil.example")).status).toBe(403);
    expect((await restart(`http://127.0.0.1:${url.port}`)).status).toBe(202);
  });
});
