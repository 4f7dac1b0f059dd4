import { readdirSync, readFileSync } from "node:fs";

/** Every live process's parent, from /proc. */
function parents(): Map<number, number> {
  const result = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses; the fields after its last ")" do not.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      result.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const parentOf = parents();
  const tree = [root];
  for (let index = 0; index < tree.length; index++)
    for (const [pid, parent] of parentOf) if (parent === tree[index]) tree.push(pid);
  return tree;
}

function field(pid: number, file: string, name: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/${file}`, "utf8")
      .split("\n")
      .find((entry) => entry.startsWith(`${name}:`));
    return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Resident memory of these processes, summed, in MiB (shared pages counted once per process). */
export const rssMiB = (pids: number[]) =>
  pids.reduce((sum, pid) => sum + field(pid, "status", "VmRSS"), 0) / 1024 / 1024;

/**
 * Proportional memory (PSS) of these processes, summed, in MiB: a page shared by n processes counts 1/n,
 * so 26 Node processes are not charged 26 times for the same Node binary.
 */
export const pssMiB = (pids: number[]) =>
  pids.reduce((sum, pid) => sum + field(pid, "smaps_rollup", "Pss"), 0) / 1024 / 1024;
