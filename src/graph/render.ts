import type { Dependency, Workspace } from "../workspace/index.js";
import { externalLabel, externalsOf } from "./external-label.js";
import { selectCodebases } from "./select.js";

export type GraphFormat = "text" | "dot" | "mermaid";

/** The codebase graph as plain data: what `graph --json` prints and the renderers draw. */
export interface CodebaseGraph {
  root: string;
  codebases: { name: string; dir: string; origin: string; linked: boolean; commit?: string }[];
  edges: { from: string; alias: string; to: string; kind: "codebase" | "provider" | "external" }[];
}

export function codebaseGraph(workspace: Workspace, asked: readonly string[] = []): CodebaseGraph {
  const selected = selectCodebases(workspace, asked);
  const codebases = [...selected].sort().map((name) => {
    const codebase = workspace.codebases.get(name);
    const origin = codebase?.origin;
    return {
      name,
      dir: codebase?.dir ?? "",
      origin: origin?.kind ?? "path",
      linked: codebase?.linkedFrom !== undefined,
      ...(origin?.kind === "git" ? { commit: origin.commit } : {}),
    };
  });
  const edges = workspace.dependencies
    .filter((entry) => selected.has(entry.from))
    .map((entry) => ({
      from: entry.from,
      alias: entry.alias,
      to: targetLabel(entry, workspace),
      kind: entry.target.kind,
    }));
  return { root: workspace.root.name, codebases, edges };
}

function targetLabel(entry: Dependency, workspace: Workspace): string {
  if (entry.target.kind === "codebase") return entry.target.name;
  if (entry.target.kind === "external") return externalLabel(workspace, entry);
  return entry.target.version ? `${entry.target.provider}@${entry.target.version}` : entry.target.provider;
}

export function renderGraph(graph: CodebaseGraph, format: GraphFormat): string {
  if (format === "dot") return renderDot(graph);
  if (format === "mermaid") return renderMermaid(graph);
  return renderText(graph);
}

function renderText(graph: CodebaseGraph): string {
  const lines: string[] = [];
  const shown = new Set<string>();
  const info = new Map(graph.codebases.map((codebase) => [codebase.name, codebase]));
  const describe = (name: string) => {
    const codebase = info.get(name);
    const tags = [
      codebase?.linked ? `linked → ${codebase.dir}` : "",
      codebase?.origin === "git" ? `git ${codebase.commit?.slice(0, 12)}` : "",
    ].filter(Boolean);
    return tags.length > 0 ? `${name} (${tags.join(", ")})` : name;
  };
  const walk = (name: string, prefix: string) => {
    const children = graph.edges.filter((edge) => edge.from === name);
    children.forEach((edge, index) => {
      const last = index === children.length - 1;
      const label =
        edge.kind === "codebase" ? `${edge.alias}: ${describe(edge.to)}` : `${edge.alias}: ${edge.to}`;
      const repeated = edge.kind === "codebase" && shown.has(edge.to);
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${label}${repeated ? " (above)" : ""}`);
      if (edge.kind === "codebase" && !repeated) {
        shown.add(edge.to);
        walk(edge.to, `${prefix}${last ? "   " : "│  "}`);
      }
    });
  };
  const roots = graph.codebases
    .map((codebase) => codebase.name)
    .filter((name) => !graph.edges.some((edge) => edge.to === name && edge.kind === "codebase"));
  for (const root of roots) {
    shown.add(root);
    lines.push(describe(root));
    walk(root, "");
  }
  return lines.join("\n");
}

function renderDot(graph: CodebaseGraph): string {
  const lines = ["digraph berth {", "  rankdir=LR;"];
  for (const codebase of graph.codebases) {
    const linked = codebase.linked ? `, style=dashed, label="${codebase.name}\\n(linked)"` : "";
    lines.push(`  "${codebase.name}" [shape=box${linked}];`);
  }
  const providers = new Set(graph.edges.filter((edge) => edge.kind === "provider").map((edge) => edge.to));
  for (const provider of [...providers].sort()) lines.push(`  "${provider}" [shape=cylinder];`);
  for (const external of externalsOf(graph)) lines.push(`  "${external}" [shape=hexagon, style=dashed];`);
  for (const edge of graph.edges) lines.push(`  "${edge.from}" -> "${edge.to}" [label="${edge.alias}"];`);
  lines.push("}");
  return lines.join("\n");
}

function renderMermaid(graph: CodebaseGraph): string {
  const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");
  const lines = ["graph LR"];
  for (const codebase of graph.codebases) {
    lines.push(`  ${id(codebase.name)}["${codebase.name}${codebase.linked ? " (linked)" : ""}"]`);
  }
  const providers = new Set(graph.edges.filter((edge) => edge.kind === "provider").map((edge) => edge.to));
  for (const provider of [...providers].sort()) lines.push(`  provider_${id(provider)}[("${provider}")]`);
  for (const external of externalsOf(graph)) lines.push(`  external_${id(external)}{{"${external}"}}`);
  for (const edge of graph.edges) {
    const to = edge.kind === "codebase" ? id(edge.to) : `${edge.kind}_${id(edge.to)}`;
    lines.push(`  ${id(edge.from)} -->|${edge.alias}| ${to}`);
  }
  return lines.join("\n");
}
