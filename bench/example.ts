import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, median, postgresArgs, type Row, runBerth, timeFloor } from "./harness.js";

const examples = join(import.meta.dirname, "..", "examples");

/**
 * The floor of a warm `up`: the same server (on the same data) and the same four processes with the same
 * environment, started by a bare script in the same order, each waited for as Berth waits for it.
 */
function floor(dir: string, home: string): Promise<number> {
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
    return JSON.parse(result.stdout) as Record<string, string>;
  };
  const envs = { accounts: envOf("accounts"), catalog: envOf("catalog"), web: envOf("web") };
  const asServer =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync("id", ["-u", "berth"]).toString()),
          gid: Number(execFileSync("id", ["-g", "berth"]).toString()),
        }
      : {};
  const node = (codebase: keyof typeof envs, script: string) => ({
    command: "node",
    args: [script],
    cwd: join(dir, codebase),
    env: envs[codebase],
  });
  const healthz = (codebase: keyof typeof envs) => ({
    http: { port: Number(envs[codebase].PORT), path: "/healthz" },
  });
  return timeFloor([
    {
      start: [
        {
          command: join(pg.bin, "postgres"),
          args: postgresArgs(pg.dataDir, pg.port),
          ...asServer,
        },
      ],
      wait: [{ postgres: envs.accounts.DATABASE_URL ?? "" }],
    },
    { start: [node("accounts", "server.js")], wait: [healthz("accounts")] },
    {
      start: [node("catalog", "server.js"), node("catalog", "worker.js")],
      wait: [healthz("catalog"), { log: { process: 3, pattern: "worker started" } }],
    },
    { start: [node("web", "server.js")], wait: [healthz("web")] },
  ]);
}

/**
 * Before a measured warm start, Berth's and the floor's alike: what the copy of the example and the cold
 * up's installs left for the disk is written out before, not while one of them is measured.
 */
async function settle(): Promise<void> {
  spawnSync("sync");
  await new Promise((resolve) => setTimeout(resolve, 300));
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
    const berth = (...args: string[]) => runBerth(join(dir, "web"), home, args).ms;
    try {
      // Dependencies already downloaded (as on a developer's machine after the first day): cold means no data.
      for (const codebase of readdirSync(examples))
        cpSync(join(examples, codebase), join(dir, codebase), { recursive: true });
      cold.push(berth("up", "-d"));
      berth("down");
      // The first start after the data was made is ~40 ms slower; the floor, which runs later, never gets it.
      berth("up", "-d");
      berth("down");
      await settle();
      warm.push(berth("up", "-d"));
      berth("down", "--all");
      await settle();
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
