import { shownUrl } from "../manifest/index.js";
import type { Dependency, Workspace } from "../workspace/index.js";

/** An external's node: `external <its url as written>`, a password in it hidden. */
export function externalLabel(workspace: Workspace, entry: Dependency): string {
  const requirement = workspace.codebases.get(entry.from)?.loaded.manifest.requires?.[entry.alias];
  const url = requirement && "external" in requirement ? requirement.external.url : "?";
  return `external ${shownUrl(url)}`;
}

/** The external nodes of a graph, each once. */
export function externalsOf(graph: { edges: { kind: string; to: string }[] }): string[] {
  return [...new Set(graph.edges.filter((edge) => edge.kind === "external").map((edge) => edge.to))].sort();
}
