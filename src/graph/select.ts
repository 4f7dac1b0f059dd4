import { BerthErrors } from "../errors/index.js";
import { unknownCodebaseError, type Workspace } from "../workspace/index.js";
import { codebaseEdges } from "./cycles.js";

/**
 * The codebases to run for the ones asked for: those and everything they reach through `requires`.
 * Nothing asked for means the root codebase.
 */
export function selectCodebases(workspace: Workspace, asked: readonly string[]): Set<string> {
  const names = asked.length > 0 ? asked : [workspace.root.name];
  const unknown = names.filter((name) => !workspace.codebases.has(name));
  if (unknown.length > 0) throw new BerthErrors(unknown.map((name) => unknownCodebaseError(workspace, name)));
  const edges = codebaseEdges(workspace.dependencies);
  const selected = new Set<string>();
  const visit = (name: string): void => {
    if (selected.has(name)) return;
    selected.add(name);
    for (const edge of edges.get(name) ?? []) if (edge.target.kind === "codebase") visit(edge.target.name);
  };
  for (const name of names) visit(name);
  return selected;
}
