import { type BerthError, BerthErrors } from "../errors/index.js";
import { missingToolError, resolveToolchain } from "../toolchains/index.js";
import type { Workspace } from "../workspace/index.js";

/**
 * The plan-time check of `up`: every tool the planned codebases need is on this machine, before any step
 * runs. Each missing one is reported with the file that asked for it and the fix.
 */
export function assertToolchains(
  home: string,
  workspace: Workspace,
  codebases: readonly string[],
  env: NodeJS.ProcessEnv,
): void {
  const errors: BerthError[] = [];
  for (const name of codebases) {
    const codebase = workspace.codebases.get(name);
    if (!codebase) continue;
    for (const status of resolveToolchain(codebase, env, home).tools)
      if (!status.found) errors.push(missingToolError(name, status));
  }
  const [first] = errors;
  if (first && errors.length === 1) throw first;
  if (errors.length > 1) throw new BerthErrors(errors);
}
