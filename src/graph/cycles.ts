import { BerthError, formatLocation } from "../errors/index.js";
import type { Dependency, Workspace } from "../workspace/index.js";

/** Every cycle among codebases, each as the `requires` entries that form it, in order. */
export function findCycles(workspace: Workspace): Dependency[][] {
  const edges = codebaseEdges(workspace.dependencies);
  const cycles: Dependency[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: Dependency[] = [];

  const visit = (name: string): void => {
    state.set(name, "visiting");
    for (const edge of edges.get(name) ?? []) {
      const next = edge.target.kind === "codebase" ? edge.target.name : "";
      if (state.get(next) === "visiting") {
        const start = stack.findIndex((entry) => entry.from === next);
        cycles.push([...stack.slice(start === -1 ? stack.length : start), edge]);
      } else if (!state.has(next)) {
        stack.push(edge);
        visit(next);
        stack.pop();
      }
    }
    state.set(name, "done");
  };
  for (const name of [...workspace.codebases.keys()].sort()) if (!state.has(name)) visit(name);
  return cycles;
}

export function cycleError(cycle: readonly Dependency[]): BerthError {
  const names = [...cycle.map((edge) => edge.from), cycle[0]?.from ?? ""];
  const steps = cycle.map(
    (edge) =>
      `\n  ${edge.from} requires ${edge.target.kind === "codebase" ? edge.target.name : ""} (as \`${edge.alias}\`) at ${formatLocation(edge.location)}`,
  );
  return new BerthError(
    "BERTH_CYCLE",
    `codebases require each other in a cycle: ${names.join(" → ")}${steps.join("")}`,
    {
      location: cycle[0]?.location,
      hint: "a codebase cannot wait for one that waits for it; remove one of these requires entries",
    },
  );
}

export function codebaseEdges(dependencies: readonly Dependency[]): Map<string, Dependency[]> {
  const edges = new Map<string, Dependency[]>();
  for (const dependency of dependencies) {
    if (dependency.target.kind !== "codebase") continue;
    const list = edges.get(dependency.from) ?? [];
    list.push(dependency);
    edges.set(dependency.from, list);
  }
  return edges;
}
