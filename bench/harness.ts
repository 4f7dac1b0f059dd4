import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

/** One row of the results table: Berth's figure, the floor's, and peers' where there are peers. */
export interface Row {
  benchmark: string;
  berth: number;
  floor?: number;
  peers?: Record<string, number>;
  unit: "ms" | "MiB";
  target?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Median wall time of `runs` calls, after one warm-up call. */
export async function timeMs(runs: number, action: () => unknown): Promise<number> {
  await action();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await action();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Median wall time of a command, run `runs` times; it must succeed. */
export async function timeCommand(
  runs: number,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  return timeMs(runs, () => {
    const result = spawnSync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: "pipe",
    });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  });
}

export function printTable(rows: Row[]): void {
  const header = ["benchmark", "berth", "floor", "berth/floor", "peers (ratio to floor)", "target"];
  const lines = rows.map((row) => {
    const ratio = row.floor ? `${(row.berth / row.floor).toFixed(2)}×` : "";
    const peers = Object.entries(row.peers ?? {})
      .map(
        ([name, value]) =>
          `${name} ${format(value, row.unit)}${row.floor ? ` (${(value / row.floor).toFixed(2)}×)` : ""}`,
      )
      .join(", ");
    return [
      row.benchmark,
      format(row.berth, row.unit),
      row.floor ? format(row.floor, row.unit) : "",
      ratio,
      peers,
      row.target ?? "",
    ];
  });
  const widths = header.map((cell, index) =>
    Math.max(cell.length, ...lines.map((line) => line[index]?.length ?? 0)),
  );
  const render = (cells: string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(" | ")} |`;
  console.log(render(header));
  console.log(render(widths.map((width) => "-".repeat(width))));
  for (const line of lines) console.log(render(line));
}

function format(value: number, unit: Row["unit"]): string {
  return unit === "ms" ? `${value.toFixed(value < 10 ? 1 : 0)} ms` : `${value.toFixed(1)} MiB`;
}
