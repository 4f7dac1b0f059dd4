import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadManifest } from "../src/manifest/index.js";
import { resolveToolchain } from "../src/toolchains/index.js";
import { exampleInstalled } from "./example.js";
import { bin, median, printTable, type Row, runBerth } from "./harness.js";

const examples = join(import.meta.dirname, "..", "examples");

/** A copy of the example; with `engines`, each codebase's package.json asks for the Node that runs it. */
function copyExample(engines: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-toolchain-"));
  for (const codebase of readdirSync(examples)) {
    cpSync(join(examples, codebase), join(dir, codebase), { recursive: true });
    if (!engines) continue;
    const file = join(dir, codebase, "package.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(
      file,
      JSON.stringify({ ...json, engines: { node: `>=${process.versions.node.split(".")[0]}` } }),
    );
  }
  return dir;
}

/**
 * What toolchain resolution costs a warm `up`: the resolution alone, in process (what `up` pays twice per
 * codebase: its plan-time check and its environment), and the example's warm `up -d` with and without a
 * Node version read from each codebase's package.json `engines`.
 */
export async function benchToolchains(options: { quick: boolean }): Promise<Row[]> {
  const dir = copyExample(true);
  const home = mkdtempSync(join(tmpdir(), "berth-bench-toolchain-home-"));
  const codebases = readdirSync(dir).map((name) => ({
    dir: join(dir, name),
    loaded: loadManifest(join(dir, name, "berth.yaml")),
  }));
  const resolveAll = () => {
    const start = performance.now();
    for (const codebase of codebases) resolveToolchain(codebase, process.env, home);
    return performance.now() - start;
  };
  const first = resolveAll();
  const warm = Array.from({ length: options.quick ? 20 : 100 }, resolveAll);
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  const rows: Row[] = [
    {
      benchmark: "toolchains: resolving the example's 3 codebases, first time (runs node --version)",
      berth: first,
      unit: "ms",
    },
    {
      benchmark: "toolchains: resolving the example's 3 codebases, warm (a warm up pays it twice)",
      berth: median(warm),
      unit: "ms",
      target: "< 10 ms (×2 < 20 ms)",
    },
  ];
  if (!exampleInstalled()) {
    console.log("note: the warm up of the example needs it installed once: npm run demo -- -d");
    return rows;
  }
  const ups: Record<"with" | "without", number[]> = { with: [], without: [] };
  for (let run = 0; run < (options.quick ? 2 : 4); run++) {
    // Alternated: the first of a pair starts on a machine busier with the last pair's teardown.
    const order = run % 2 === 0 ? (["without", "with"] as const) : (["with", "without"] as const);
    for (const variant of order) {
      const example = copyExample(variant === "with");
      const state = mkdtempSync(join(tmpdir(), "berth-bench-toolchain-home-"));
      const berth = (...args: string[]) => runBerth(join(example, "web"), state, args).ms;
      try {
        berth("up", "-d");
        berth("down");
        berth("up", "-d");
        berth("down");
        spawnSync("sync");
        ups[variant].push(berth("up", "-d"));
      } finally {
        spawnSync(process.execPath, [bin, "down", "--all"], { env: { ...process.env, BERTH_HOME: state } });
        rmSync(example, { recursive: true, force: true });
        rmSync(state, { recursive: true, force: true });
      }
    }
  }
  rows.push({
    benchmark: "toolchains: example warm up -d with package.json engines.node (floor: without)",
    berth: median(ups.with),
    floor: median(ups.without),
    unit: "ms",
    target: "< +20 ms",
  });
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  console.log(
    `berth toolchains benchmark${quick ? " (quick)" : ""}: node ${process.version}, ${new Date().toISOString()}`,
  );
  printTable(await benchToolchains({ quick }));
}
