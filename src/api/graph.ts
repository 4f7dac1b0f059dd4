import { type CodebaseGraph, codebaseGraph, cycleError, findCycles } from "../graph/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export async function graph(
  options: WorkspaceOptions & { codebases?: readonly string[] },
): Promise<CodebaseGraph> {
  options.signal?.throwIfAborted();
  const workspace = await resolveWorkspace({
    root: options.root,
    home: homeOf(options),
    signal: options.signal,
  });
  const cycles = findCycles(workspace);
  if (cycles[0]) throw cycleError(cycles[0]);
  return codebaseGraph(workspace, options.codebases ?? []);
}

/** Draws a codebase graph as text, Graphviz dot or Mermaid. */
export { renderGraph } from "../graph/index.js";
