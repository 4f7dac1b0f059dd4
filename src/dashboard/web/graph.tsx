import type { ProcessRow, WorkspaceView } from "../types.js";
import { type GraphEdge, type GraphNode, layoutGraph, NODE_HEIGHT, ROW_STEP } from "./graph-layout.js";

/** The workspace's codebases, what they require and the providers they claim, drawn as an SVG. */
export function Graph({ workspace, processes }: { workspace: WorkspaceView; processes: ProcessRow[] }) {
  const layout = layoutGraph(workspace.graph);
  const health = (node: GraphNode) => {
    if (node.kind !== "codebase") return node.kind;
    const rows = processes.filter((row) => row.codebase === node.name && row.roots.includes(workspace.root));
    if (rows.length === 0) return "idle";
    if (rows.some((row) => ["crashed", "failed", "backoff"].includes(row.state))) return "bad";
    return rows.every((row) => row.state === "ready") ? "good" : "busy";
  };
  return (
    <svg
      data-testid="graph"
      class="graph"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      role="img"
      aria-label={`codebase graph of ${workspace.name}`}
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
        </marker>
      </defs>
      {layout.edges.map((edge) => (
        <path
          key={`${edge.from.name}>${edge.to.name}:${edge.alias}`}
          class="edge"
          d={edgePath(edge)}
          marker-end="url(#arrow)"
        >
          <title>{`${edge.from.name} requires ${edge.to.name} as ${edge.alias}`}</title>
        </path>
      ))}
      {layout.nodes.map((node) => (
        <g
          key={node.name}
          data-testid="graph-node"
          data-name={node.name}
          data-kind={node.kind}
          class={`node ${node.kind} ${health(node)}${node.linked ? " linked" : ""}`}
          transform={`translate(${node.x},${node.y})`}
        >
          <rect width={node.width} height={NODE_HEIGHT} rx={node.kind === "provider" ? 15 : 4} />
          <text x={node.width / 2} y={NODE_HEIGHT / 2} dominant-baseline="central" text-anchor="middle">
            {node.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** Down from the dependent to what it needs; past a row between them, around the side so no node hides it. */
function edgePath({ from, to }: GraphEdge): string {
  const rows = Math.round((to.y - from.y) / ROW_STEP);
  if (rows <= 1) {
    const x1 = from.x + from.width / 2;
    const y1 = from.y + NODE_HEIGHT;
    const x2 = to.x + to.width / 2;
    const middle = (y1 + to.y) / 2;
    return `M${x1},${y1} C${x1},${middle} ${x2},${middle} ${x2},${to.y}`;
  }
  const x1 = from.x + from.width;
  const x2 = to.x + to.width;
  const y1 = from.y + NODE_HEIGHT / 2;
  const y2 = to.y + NODE_HEIGHT / 2;
  const side = Math.max(x1, x2) + 30 * rows;
  return `M${x1},${y1} C${side},${y1} ${side},${y2} ${x2},${y2}`;
}
