import type { CodebaseGraph } from "../../graph/index.js";

export interface GraphNode {
  name: string;
  /** What the node reads: the name, and `linked` or `git` when it comes from elsewhere. */
  label: string;
  kind: "codebase" | "provider" | "external";
  linked: boolean;
  /** `git` for a codebase pinned from a git repository. */
  origin: string;
  x: number;
  y: number;
  width: number;
}

export interface GraphEdge {
  from: GraphNode;
  to: GraphNode;
  alias: string;
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const NODE_HEIGHT = 30;
const ROW_GAP = 50;
export const ROW_STEP = NODE_HEIGHT + ROW_GAP;
const COLUMN_GAP = 24;
const MARGIN = 12;

/**
 * Codebases and providers in rows by dependency depth: what needs nothing at the bottom, each codebase one
 * row above the deepest thing it needs, so every edge points down.
 */
export function layoutGraph(graph: CodebaseGraph): GraphLayout {
  const info = new Map(graph.codebases.map((codebase) => [codebase.name, codebase]));
  const names = new Set<string>(graph.codebases.map((codebase) => codebase.name));
  for (const edge of graph.edges) names.add(edge.to);
  const needs = new Map<string, string[]>();
  for (const edge of graph.edges) needs.set(edge.from, [...(needs.get(edge.from) ?? []), edge.to]);

  const depths = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string>): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0;
    seen.add(name);
    const depth = Math.max(-1, ...(needs.get(name) ?? []).map((next) => depthOf(next, seen))) + 1;
    depths.set(name, depth);
    return depth;
  };
  for (const name of names) depthOf(name, new Set());

  const top = Math.max(0, ...depths.values());
  const rows: string[][] = Array.from({ length: top + 1 }, () => []);
  for (const name of [...names].sort()) rows[top - (depths.get(name) ?? 0)]?.push(name);

  const externals = new Set(graph.edges.filter((edge) => edge.kind === "external").map((edge) => edge.to));
  const byName = new Map<string, GraphNode>();
  const labelOf = (name: string) => {
    const codebase = info.get(name);
    if (codebase?.linked) return `${name} · linked`;
    return codebase?.origin === "git" ? `${name} · git` : name;
  };
  const rowWidths = rows.map((row) =>
    row.reduce((total, name) => total + nodeWidth(labelOf(name)) + COLUMN_GAP, -COLUMN_GAP),
  );
  const width = Math.max(200, ...rowWidths) + 2 * MARGIN + 30 * rows.length;
  rows.forEach((row, index) => {
    let x = MARGIN + (width - 2 * MARGIN - (rowWidths[index] ?? 0)) / 2;
    for (const name of row) {
      const codebase = info.get(name);
      const node: GraphNode = {
        name,
        label: labelOf(name),
        kind: codebase ? "codebase" : externals.has(name) ? "external" : "provider",
        linked: codebase?.linked ?? false,
        origin: codebase?.origin ?? (externals.has(name) ? "external" : "provider"),
        x,
        y: MARGIN + index * ROW_STEP,
        width: nodeWidth(labelOf(name)),
      };
      byName.set(name, node);
      x += node.width + COLUMN_GAP;
    }
  });

  const edges: GraphEdge[] = [];
  for (const edge of graph.edges) {
    const from = byName.get(edge.from);
    const to = byName.get(edge.to);
    if (from && to) edges.push({ from, to, alias: edge.alias });
  }
  return {
    nodes: [...byName.values()],
    edges,
    width,
    height: 2 * MARGIN + rows.length * NODE_HEIGHT + (rows.length - 1) * ROW_GAP,
  };
}

/** Wide enough for the name in the page's font (about 7.5 px a character at 13 px). */
function nodeWidth(label: string): number {
  return Math.max(70, Math.ceil(label.length * 7.5) + 24);
}
