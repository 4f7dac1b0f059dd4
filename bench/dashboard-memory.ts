import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Row } from "./harness.js";
import { runBerth } from "./harness.js";

const programs = join(import.meta.dirname, "..", "test", "fixtures", "programs");

/**
 * The supervisor's resident memory: with a workspace running (six processes, two of them printing ten lines a
 * second), then once `berth dashboard` loaded its server, then with one page's event stream open (status
 * sampled every second, every line streamed) for `seconds`. Target: the page adds at most ~10 MiB.
 * Knobs: BENCH_SECONDS, BENCH_INTERVAL_MS (between a worker's lines; 5 for a flood), BENCH_NO_PAGE=1 (the
 * server loaded, no page), BENCH_HEAP=1 (print the supervisor's heap, through `ping`).
 *
 * Measured 2026-11-29 (2 shared cores): 20 lines/s, 30 s: +5.0 MiB (peak RSS over the running supervisor);
 * 400 lines/s, 60 s: +13 MiB, of which ~3 MiB live after a forced GC (the 2 MiB ring, under 1 MiB of heap),
 * the rest freed memory the allocator keeps (the same flood with no page open: +9 MiB; no dashboard: +3 MiB).
 */
export async function benchDashboardMemory({ quick }: { quick: boolean }): Promise<Row[]> {
  const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 10 : 30));
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-dashboard-"));
  const home = join(dir, "state");
  const processes = [0, 1, 2, 3]
    .map((index) => `  s${index}: { run: node ${programs}/server.js, port: auto, ready: { http: / } }`)
    .concat([0, 1].map((index) => `  w${index}: { run: node ${programs}/worker.js }`))
    .join("\n");
  mkdirSync(join(dir, "web"));
  writeFileSync(
    join(dir, "web", "berth.yaml"),
    `name: web\nenv:\n  INTERVAL_MS: "${process.env.BENCH_INTERVAL_MS ?? "100"}"\nprocesses:\n${processes}\n`,
  );
  const cwd = join(dir, "web");
  try {
    runBerth(cwd, home, ["up", "-d"]);
    const pid = Number(readFileSync(join(home, "supervisor.pid"), "utf8"));
    await settle(2000);
    const running = rssMiB(pid);
    await heap(home, "running");
    const url = new URL(JSON.parse(runBerth(cwd, home, ["dashboard", "--json"]).stdout).url as string);
    await settle(2000);
    const served = rssMiB(pid);
    const cookie = await signIn(url);
    await get(url, "/api/state", cookie);
    const stream = process.env.BENCH_NO_PAGE ? { destroy() {} } : openStream(url, cookie);
    let peak = 0;
    for (let second = 0; second < seconds; second++) {
      await settle(1000);
      peak = Math.max(peak, rssMiB(pid));
    }
    stream.destroy();
    const open = rssMiB(pid);
    await heap(home, "end");
    runBerth(cwd, home, ["down", "--all"]);
    return [
      { benchmark: "supervisor RSS, six processes running", berth: running, unit: "MiB" },
      { benchmark: "supervisor RSS, dashboard server loaded", berth: served, unit: "MiB" },
      {
        benchmark: `supervisor RSS growth, one page open ${seconds} s (peak over running)`,
        berth: peak - running,
        unit: "MiB",
        target: "≤ 10",
      },
      { benchmark: "supervisor RSS, page open, at the end", berth: open, unit: "MiB" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function heap(home: string, what: string) {
  if (!process.env.BENCH_HEAP) return;
  const { SupervisorClient } = await import("../src/supervisor/index.js");
  const client = await SupervisorClient.connect(home, { start: false });
  const mem: Record<string, number> = { ...(await client?.request("ping", {}))?.memory };
  client?.close();
  console.log(
    what,
    JSON.stringify(Object.fromEntries(Object.entries(mem).map(([k, v]) => [k, (v / 1048576).toFixed(1)]))),
  );
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signIn(url: URL): Promise<string> {
  const response = await fetch(url, { redirect: "manual" });
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

async function get(url: URL, path: string, cookie: string): Promise<string> {
  const response = await fetch(new URL(path, url), { headers: { cookie } });
  return response.text();
}

function openStream(url: URL, cookie: string) {
  const req = request(
    { host: url.hostname, port: url.port, path: "/api/events", headers: { cookie } },
    (res) => res.resume(),
  );
  req.on("error", () => {});
  req.end();
  return req;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchDashboardMemory({ quick: process.argv.includes("--quick") });
  for (const row of rows) console.log(`${row.benchmark}: ${row.berth.toFixed(1)} ${row.unit}`);
}
