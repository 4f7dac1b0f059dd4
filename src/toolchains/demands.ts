import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Location } from "../errors/index.js";
import type { LoadedManifest } from "../manifest/index.js";

export type Tool = "node" | "python";
export const TOOLS: readonly Tool[] = ["node", "python"];

/** A version a codebase needs, and where that was said (for messages). */
export interface Demand {
  tool: Tool;
  constraint: string;
  /** The file and line the demand came from: berth.yaml's `toolchain:`, or a version manager's file. */
  from: Location;
}

/** What each tool is called in the files of version managers. */
const TOOL_NAMES: Record<Tool, readonly string[]> = { node: ["node", "nodejs"], python: ["python"] };

/**
 * The versions a codebase needs: its manifest's `toolchain:` first, then the files version managers read,
 * in the order they do (a tool's first demand wins).
 */
export function demandsOf(dir: string, loaded: LoadedManifest): Demand[] {
  const demands = new Map<Tool, Demand>();
  const add = (demand: Demand | undefined) => {
    if (demand && !demands.has(demand.tool)) demands.set(demand.tool, demand);
  };
  const declared = loaded.manifest.toolchain;
  for (const tool of TOOLS) {
    const value = declared?.[tool];
    if (value === undefined) continue;
    // YAML reads `python: 3.10` as the number 3.1: the version is what the file says.
    const [start, end] = loaded.source.rangeOf(["toolchain", tool]);
    const constraint = typeof value === "number" ? loaded.source.text.slice(start, end).trim() : value;
    add({ tool, constraint, from: loaded.source.locate(["toolchain", tool]) });
  }
  for (const demand of toolVersionsFile(join(dir, ".tool-versions"))) add(demand);
  for (const demand of miseToml(join(dir, "mise.toml"))) add(demand);
  add(plainFile(join(dir, ".nvmrc"), "node"));
  add(plainFile(join(dir, ".node-version"), "node"));
  add(packageJsonEngines(join(dir, "package.json")));
  add(plainFile(join(dir, ".python-version"), "python"));
  add(pyprojectRequiresPython(join(dir, "pyproject.toml")));
  return [...demands.values()];
}

function read(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  return index < 0 ? 1 : text.slice(0, index).split("\n").length;
}

/** asdf's and mise's `.tool-versions`: `nodejs 18.19.0` lines; the first version of a line is the one used. */
function toolVersionsFile(file: string): Demand[] {
  const text = read(file);
  if (text === undefined) return [];
  const demands: Demand[] = [];
  text.split("\n").forEach((raw, index) => {
    const [name, version] = raw.replace(/#.*/, "").trim().split(/\s+/);
    const tool = toolNamed(name);
    if (tool && version) demands.push({ tool, constraint: version, from: { file, line: index + 1, col: 1 } });
  });
  return demands;
}

/** mise.toml's `[tools]` table: `node = "18"` or `python = ["3.11", "3.12"]` (the first is the default). */
function miseToml(file: string): Demand[] {
  const text = read(file);
  if (text === undefined) return [];
  const tools = (parseToml(text)?.tools ?? {}) as Record<string, unknown>;
  const demands: Demand[] = [];
  for (const [name, value] of Object.entries(tools)) {
    const tool = toolNamed(name);
    const version = Array.isArray(value) ? value[0] : value;
    const constraint =
      typeof version === "object" && version !== null ? (version as { version?: unknown }).version : version;
    if (tool && (typeof constraint === "string" || typeof constraint === "number"))
      demands.push({
        tool,
        constraint: String(constraint),
        from: { file, line: lineOf(text, name), col: 1 },
      });
  }
  return demands;
}

/** `.nvmrc`, `.node-version`, `.python-version`: the first line is the version. */
function plainFile(file: string, tool: Tool): Demand | undefined {
  const version = read(file)?.split("\n")[0]?.trim();
  return version ? { tool, constraint: version, from: { file, line: 1, col: 1 } } : undefined;
}

function packageJsonEngines(file: string): Demand | undefined {
  const text = read(file);
  if (text === undefined) return undefined;
  try {
    const engine = (JSON.parse(text) as { engines?: { node?: unknown } }).engines?.node;
    if (typeof engine !== "string") return undefined;
    return { tool: "node", constraint: engine, from: { file, line: lineOf(text, '"engines"'), col: 1 } };
  } catch {
    return undefined;
  }
}

function pyprojectRequiresPython(file: string): Demand | undefined {
  const text = read(file);
  if (text === undefined || !text.includes("requires-python")) return undefined;
  const project = parseToml(text)?.project as { "requires-python"?: unknown } | undefined;
  const constraint = project?.["requires-python"];
  if (typeof constraint !== "string") return undefined;
  return { tool: "python", constraint, from: { file, line: lineOf(text, "requires-python"), col: 1 } };
}

function toolNamed(name: string | undefined): Tool | undefined {
  return name === undefined ? undefined : TOOLS.find((tool) => TOOL_NAMES[tool].includes(name));
}

/**
 * smol-toml, loaded only when a codebase has a TOML file to read (it costs milliseconds to load). Through
 * `createRequire` so the bundle keeps it out of the CLI's own start.
 */
function parseToml(text: string): Record<string, unknown> | undefined {
  try {
    const toml = createRequire(import.meta.url)("smol-toml") as typeof import("smol-toml");
    return toml.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
