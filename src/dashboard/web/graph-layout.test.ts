import { describe, expect, it } from "vitest";
import { layoutGraph } from "./graph-layout.js";

const example = {
  root: "web",
  codebases: [
    { name: "accounts", dir: "/w/accounts", origin: "path", linked: false },
    { name: "catalog", dir: "/src/catalog", origin: "path", linked: true },
    { name: "web", dir: "/w/web", origin: "path", linked: false },
  ],
  edges: [
    { from: "web", alias: "catalog", to: "catalog", kind: "codebase" as const },
    { from: "web", alias: "accounts", to: "accounts", kind: "codebase" as const },
    { from: "catalog", alias: "db", to: "postgres", kind: "provider" as const },
    { from: "catalog", alias: "accounts", to: "accounts", kind: "codebase" as const },
    { from: "accounts", alias: "db", to: "postgres", kind: "provider" as const },
  ],
};

describe("the graph's layout", () => {
  it("puts each codebase above what it needs, providers as their own nodes, linked codebases marked", () => {
    const layout = layoutGraph(example);
    const node = (name: string) => layout.nodes.find((candidate) => candidate.name === name);
    expect(layout.nodes.map((candidate) => candidate.name).sort()).toEqual([
      "accounts",
      "catalog",
      "postgres",
      "web",
    ]);
    expect(node("postgres")?.kind).toBe("provider");
    expect(node("catalog")).toMatchObject({ linked: true, label: "catalog · linked" });
    for (const edge of layout.edges)
      expect(edge.from.y, `${edge.from.name} → ${edge.to.name}`).toBeLessThan(edge.to.y);
    expect(layout.edges).toHaveLength(5);
  });

  it("draws an external as a node of its own kind", () => {
    const layout = layoutGraph({
      ...example,
      edges: [
        ...example.edges,
        { from: "catalog", alias: "search", to: "external http://127.0.0.1:9200", kind: "external" as const },
      ],
    });
    const external = layout.nodes.find((node) => node.name === "external http://127.0.0.1:9200");
    expect(external).toMatchObject({ kind: "external", origin: "external" });
    expect(layout.nodes.find((node) => node.name === "postgres")?.kind).toBe("provider");
  });

  it("keeps every node inside the drawing, none overlapping in its row", () => {
    const layout = layoutGraph(example);
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
      expect(node.y).toBeLessThan(layout.height);
      for (const other of layout.nodes) {
        if (other === node || other.y !== node.y) continue;
        expect(node.x + node.width <= other.x || other.x + other.width <= node.x).toBe(true);
      }
    }
  });

  it("draws a codebase that needs nothing, and survives a cycle", () => {
    expect(
      layoutGraph({
        root: "a",
        codebases: [{ name: "a", dir: "", origin: "path", linked: false }],
        edges: [],
      }).nodes,
    ).toHaveLength(1);
    const cycle = layoutGraph({
      root: "a",
      codebases: [
        { name: "a", dir: "", origin: "path", linked: false },
        { name: "b", dir: "", origin: "path", linked: false },
      ],
      edges: [
        { from: "a", alias: "b", to: "b", kind: "codebase" },
        { from: "b", alias: "a", to: "a", kind: "codebase" },
      ],
    });
    expect(cycle.nodes).toHaveLength(2);
  });
});
