import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext } from "playwright-core";
import { launchBrowser } from "../test/helpers/browser.js";
import { signIn } from "../test/helpers/dashboard.js";
import { median, printTable, type Row, runBerth } from "./harness.js";

const SERVER = `const { createServer } = require("node:http");
createServer((req, res) => res.end("ok")).listen(Number(process.env.PORT), "127.0.0.1");
setInterval(() => console.log("GET /courses 200 " + Math.round(Math.random() * 9) + " ms"), 50);
`;

/** Prints `rate` lines a second, in 10 ms batches. */
const FLOOD = `const rate = Number(process.env.RATE);
let n = 0;
setInterval(() => {
  let batch = "";
  for (let i = 0; i < rate / 100; i++) batch += "flood line " + n++ + " lorem ipsum dolor sit amet\\n";
  process.stdout.write(batch);
}, 10);
`;

/** Two codebases of node servers that log a little, and (when asked) a process that logs a lot. */
function workspace(flood: number): string {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-dashboard-"));
  const process = (name: string) =>
    `  ${name}: { run: node ${join(dir, "server.cjs")}, port: auto, ready: { http: / } }\n`;
  mkdirSync(join(dir, "api"));
  mkdirSync(join(dir, "web"));
  writeFileSync(join(dir, "server.cjs"), SERVER);
  writeFileSync(join(dir, "flood.cjs"), FLOOD);
  writeFileSync(
    join(dir, "api", "berth.yaml"),
    `name: api\nprocesses:\n${process("http")}${process("admin")}`,
  );
  writeFileSync(
    join(dir, "web", "berth.yaml"),
    `name: web\nrequires:\n  api: { path: ../api }\nprocesses:\n${process("site")}${
      flood > 0 ? `  flood: { run: "RATE=${flood} node ${join(dir, "flood.cjs")}" }\n` : ""
    }`,
  );
  return dir;
}

/** The supervisor this benchmark started, ended (by its pid) with what it still ran. */
function stopSupervisor(dir: string, home: string): void {
  runBerth(dir, home, ["down", "--all"]);
  try {
    process.kill(Number(readFileSync(join(home, "supervisor.pid"), "utf8")), "SIGTERM");
  } catch {
    // Already gone.
  }
}

function rssMiB(home: string): number {
  const pid = readFileSync(join(home, "supervisor.pid"), "utf8").trim();
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return Number(line?.[1] ?? Number.NaN) / 1024;
}

/** A fresh context (no cache, no cookie) signed in with the token's cookie, so `/` loads without a redirect. */
async function signedIn(browser: Browser, url: URL): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name = "", value = ""] = (await signIn(url)).split("=");
  await context.addCookies([{ name, value, url: url.origin }]);
  // When the first process row is drawn (the state read and painted), not only the first text.
  await context.addInitScript(`new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid="process-row"]')) {
      window.rowsShownAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });`);
  return context;
}

async function firstPaint(browser: Browser, url: URL): Promise<{ paint: number; rows: number }> {
  const context = await signedIn(browser, url);
  const page = await context.newPage();
  await page.goto(`${url.origin}/`);
  await page.locator('[data-testid="process-row"]').first().waitFor({ timeout: 30_000 });
  const [paint, rows] = (await page.evaluate(
    `[performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN, window.rowsShownAt]`,
  )) as [number, number];
  await context.close();
  return { paint, rows };
}

/** The page under a flood: the longest gap between animation frames over `ms`, and the lines it keeps. */
async function flood(
  browser: Browser,
  url: URL,
  ms: number,
): Promise<{ longestFrame: number; lines: number }> {
  const context = await signedIn(browser, url);
  const page = await context.newPage();
  await page.goto(`${url.origin}/`);
  await page.locator('[data-testid="log-line"]').last().waitFor({ timeout: 30_000 });
  const longestFrame = (await page.evaluate(`new Promise((resolve) => {
    let last = performance.now(), longest = 0;
    const end = last + ${ms};
    const tick = (now) => {
      longest = Math.max(longest, now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick); else resolve(longest);
    };
    requestAnimationFrame(tick);
  })`)) as number;
  const lines = await page.locator('[data-testid="log-line"]').count();
  await context.close();
  return { longestFrame, lines };
}

export async function benchDashboard(options: { quick: boolean }): Promise<Row[]> {
  const loads = options.quick ? 5 : 15;
  const rows: Row[] = [];
  const browser = await launchBrowser();
  const dir = workspace(0);
  const home = join(dir, "state");
  try {
    runBerth(join(dir, "web"), home, ["up", "-d"]);
    const url = new URL(
      (JSON.parse(runBerth(join(dir, "web"), home, ["dashboard", "--json"]).stdout) as { url: string }).url,
    );
    // Warm: the supervisor has served the page and its assets once.
    await firstPaint(browser, url);
    const before = rssMiB(home);
    const paints: number[] = [];
    const shown: number[] = [];
    for (let i = 0; i < loads; i++) {
      const { paint, rows: rowsAt } = await firstPaint(browser, url);
      paints.push(paint);
      shown.push(rowsAt);
    }
    rows.push({
      benchmark: `dashboard first paint (median of ${loads})`,
      berth: median(paints),
      unit: "ms",
      target: "< 300 ms",
    });
    rows.push({
      benchmark: "dashboard process table shown",
      berth: median(shown),
      unit: "ms",
      target: "< 300 ms",
    });

    // A page left open while the processes log (about 60 lines a second): the stream, its resume buffer.
    const context = await signedIn(browser, url);
    const page = await context.newPage();
    await page.goto(`${url.origin}/`);
    await page.locator('[data-testid="process-row"]').first().waitFor();
    let withPage = 0;
    for (let second = 0; second < (options.quick ? 10 : 30); second++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      withPage = Math.max(withPage, rssMiB(home));
    }
    await context.close();
    rows.push({ benchmark: "supervisor RSS, no page", berth: before, unit: "MiB" });
    rows.push({
      benchmark: "supervisor RSS growth, page open",
      berth: withPage - before,
      unit: "MiB",
      target: "≤ 10 MiB",
    });
    runBerth(join(dir, "web"), home, ["down"]);
  } finally {
    stopSupervisor(dir, home);
    rmSync(dir, { recursive: true, force: true });
  }

  const floodDir = workspace(10_000);
  const floodHome = join(floodDir, "state");
  try {
    runBerth(join(floodDir, "web"), floodHome, ["up", "-d"]);
    const url = new URL(
      (
        JSON.parse(runBerth(join(floodDir, "web"), floodHome, ["dashboard", "--json"]).stdout) as {
          url: string;
        }
      ).url,
    );
    const { longestFrame, lines } = await flood(browser, url, options.quick ? 3000 : 10_000);
    rows.push({
      benchmark: `page under 10,000 lines/s: longest frame (${lines} lines kept)`,
      berth: longestFrame,
      unit: "ms",
      target: "< 250 ms",
    });
  } finally {
    stopSupervisor(floodDir, floodHome);
    rmSync(floodDir, { recursive: true, force: true });
    await browser.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  console.log(
    `berth dashboard benchmark${quick ? " (quick)" : ""}: node ${process.version}, ${new Date().toISOString()}`,
  );
  printTable(await benchDashboard({ quick }));
}
