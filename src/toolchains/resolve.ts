import { existsSync } from "node:fs";
import { basename, delimiter, join, resolve } from "node:path";
import { BerthError, type Location } from "../errors/index.js";
import type { LoadedManifest } from "../manifest/index.js";
import { type Candidate, candidates } from "./candidates.js";
import { installableVersion, matches } from "./constraint.js";
import { demandsOf, type Tool } from "./demands.js";
import { type Fix, fixFor } from "./managers.js";

/** One tool a codebase needs: the binary that satisfies it, or the fix when none does. */
export interface ToolStatus {
  tool: Tool;
  constraint: string;
  from: Location;
  found?: Candidate;
  fix?: Fix;
}

/** What a codebase needs from the machine, resolved. */
export interface Toolchain {
  tools: ToolStatus[];
  /** The virtualenv folder activated for it, if any. */
  venv?: string;
  /** A `toolchain.venv` that is not there (or has no bin/). */
  missingVenv?: string;
}

/** Resolves a codebase's demands against this machine; installs nothing. */
export function resolveToolchain(
  codebase: { dir: string; loaded: LoadedManifest },
  env: NodeJS.ProcessEnv,
  home: string,
): Toolchain {
  const tools = demandsOf(codebase.dir, codebase.loaded).map((demand): ToolStatus => {
    const found = candidates(demand.tool, env, home).find((candidate) =>
      matches(candidate.version, demand.constraint),
    );
    if (found) return { ...demand, found };
    return { ...demand, fix: fixFor(demand.tool, installableVersion(demand.constraint), env) };
  });
  const declared = codebase.loaded.manifest.toolchain?.venv;
  const venv = resolve(codebase.dir, declared ?? ".venv");
  if (existsSync(join(venv, "bin"))) return { tools, venv };
  return declared === undefined ? { tools } : { tools, missingVenv: venv };
}

/** What a toolchain adds to a codebase's environment: its folders first on PATH, its virtualenv active. */
export function toolchainEnv(toolchain: Toolchain, path: string | undefined): Record<string, string> {
  const folders = toolchain.tools.flatMap((tool) => (tool.found ? [tool.found.bin] : []));
  if (toolchain.venv) folders.unshift(join(toolchain.venv, "bin"));
  if (folders.length === 0) return {};
  const rest = (path ?? "").split(delimiter).filter((folder) => folder !== "" && !folders.includes(folder));
  const env: Record<string, string> = { PATH: [...new Set(folders), ...rest].join(delimiter) };
  if (toolchain.venv) env.VIRTUAL_ENV = toolchain.venv;
  return env;
}

/** The folders a toolchain chose, as one string ("" for none): what a process's hash takes. */
export function toolchainKey(toolchain: Toolchain): string {
  const folders = toolchain.tools.flatMap((tool) => (tool.found ? [tool.found.bin] : []));
  if (toolchain.venv) folders.unshift(toolchain.venv);
  return folders.join("\n");
}

/** The error of a tool nothing on this machine satisfies: which file asked, for what, and the fix. */
export function missingToolError(codebase: string, status: ToolStatus): BerthError {
  const name = status.tool === "node" ? "Node.js" : "Python";
  return new BerthError(
    "BERTH_TOOLCHAIN_MISSING",
    `${codebase} needs ${name} ${status.constraint} (as ${basename(status.from.file)} says), and no ${status.tool} on PATH or of a version manager satisfies it`,
    {
      location: status.from,
      hint:
        status.fix?.manager !== undefined
          ? `install it with \`${status.fix.text}\` (or \`berth doctor --fix\`)`
          : (status.fix?.text ?? `install ${name} ${status.constraint}`),
    },
  );
}
