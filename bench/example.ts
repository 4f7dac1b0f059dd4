import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { median, type Row } from "./harness.js";

const bin = join(import.meta.dirname, "..", "bin", "berth.js");
const examples = join(import.meta.dirname, "..", "examples");

function answers(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 400);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * The floor of a warm `up`: the same server (on the same data) and the same four processes with the same
 * environment, started by a bare script in the same order, each waited for as Berth waits for it.
 */
async function floor(dir: string, home: string): Promise<number> {
  const servers = JSON.parse(readFileSync(join(home, "servers.json"), "utf8")) as Record<
    string,
    { bin: string; port: number; dataDir: string }
  >;
  const pg = Object.values(servers)[0];
  if (!pg) throw new Error("no server recorded");
  const envOf = (codebase: string) => {
    const result = spawnSync(process.execPath, [bin, "env", "--show", "--json"], {
      cwd: join(dir, codebase),
      env: { ...process.env, BERTH_HOME: home },
      encoding: "utf8",
    });
    return { ...process.env, ...(JSON.parse(result.stdout) as Record<string, string>) };
  };
  const envs = { accounts: envOf("accounts"), catalog: envOf("catalog"), web: envOf("web") };
  const asServer =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync("id", ["-u", "berth"]).toString()),
          gid: Number(execFileSync("id", ["-g", "berth"]).toString()),
        }
      : {};
  const children: ChildProcess[] = [];
  const start = performance.now();
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "shared_buffers=16MB",
    "jit=off",
    "autovacuum=off",
  ];
  children.push(
    spawn(
      join(pg.bin, "postgres"),
      ["-D", pg.dataDir, "-p", String(pg.port), ...settings.flatMap((setting) => ["-c", setting])],
      { stdio: "ignore", ...asServer },
    ),
  );
  const { Client } = (await import("pg")).default;
  await until(async () => {
    const client = new Client({ connectionString: envs.accounts.DATABASE_URL });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  });
  const run = (codebase: keyof typeof envs, script: string, onLine?: (line: string) => void) => {
    const child = spawn("node", [script], {
      cwd: join(dir, codebase),
      env: envs[codebase],
      stdio: ["ignore", "pipe", "ignore"],
    });
    child.stdout?.on("data", (chunk: Buffer) => onLine?.(chunk.toString()));
    children.push(child);
  };
  run("accounts", "server.js");
  await until(() => answers(Number(envs.accounts.PORT), "/healthz"));
  let workerStarted = false;
  run("catalog", "server.js");
  run("catalog", "worker.js", (text) => {
    if (text.includes("worker started")) workerStarted = true;
  });
  await until(async () => workerStarted && (await answers(Number(envs.catalog.PORT), "/healthz")));
  run("web", "server.js");
  await until(() => answers(Number(envs.web.PORT), "/healthz"));
  const elapsed = performance.now() - start;
  for (const child of children.reverse()) {
    child.kill("SIGTERM");
    await new Promise((resolve) =>
      child.exitCode === null && child.signalCode === null ? child.once("exit", resolve) : resolve(null),
    );
  }
  return elapsed;
}

/** Cold and warm `up` of the bundled example, against the floor; the warm ratio is the headline figure. */
export async function benchExample(options: { quick: boolean }): Promise<{ rows: Row[]; warmRatio: number }> {
  const runs = options.quick ? 2 : 5;
  const cold: number[] = [];
  const warm: number[] = [];
  const floors: number[] = [];
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), "berth-bench-example-"));
    const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
    const env = { ...process.env, BERTH_HOME: home, BERTH_TRUST: "1" };
    const berth = (...args: string[]) => {
      const start = performance.now();
      const result = spawnSync(process.execPath, [bin, ...args], {
        cwd: join(dir, "web"),
        env,
        encoding: "utf8",
      });
      if (result.status !== 0) throw new Error(`berth ${args.join(" ")}: ${result.stderr}`);
      return performance.now() - start;
    };
    try {
      // Dependencies already downloaded (as on a developer's machine after the first day): cold means no data.
      for (const codebase of readdirSync(examples))
        cpSync(join(examples, codebase), join(dir, codebase), { recursive: true });
      cold.push(berth("up", "-d"));
      berth("down");
      warm.push(berth("up", "-d"));
      berth("down", "--all");
      floors.push(await floor(dir, home));
    } finally {
      spawnSync(process.execPath, [bin, "down", "--all"], { env });
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  }
  const warmRatio = median(warm) / median(floors);
  return {
    rows: [
      {
        benchmark: "example: cold up (fresh state folder, supervisor not running)",
        berth: median(cold),
        unit: "ms",
      },
      {
        benchmark: "example: warm up (after down: server starts, tasks cached)",
        berth: median(warm),
        floor: median(floors),
        unit: "ms",
        target: "≤ 1.10× floor, < 1 s",
      },
    ],
    warmRatio,
  };
}

export function exampleInstalled(): boolean {
  return ["accounts", "catalog"].every((codebase) => existsSync(join(examples, codebase, "node_modules")));
}
