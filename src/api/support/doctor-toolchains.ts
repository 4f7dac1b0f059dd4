import { existsSync } from "node:fs";
import { formatLocation } from "../../errors/index.js";
import { manifestPath } from "../../manifest/index.js";
import { resolveToolchain, type Toolchain } from "../../toolchains/index.js";
import { resolveWorkspace } from "../../workspace/index.js";
import type { Check } from "../doctor.js";

/** Each codebase's toolchain, resolved against this machine (for `doctor` and `doctor --fix`). */
export async function workspaceToolchains(
  root: string,
  home: string,
  env: NodeJS.ProcessEnv,
): Promise<{ codebase: string; toolchain: Toolchain }[]> {
  if (!existsSync(manifestPath(root))) return [];
  let workspace: Awaited<ReturnType<typeof resolveWorkspace>>;
  try {
    workspace = await resolveWorkspace({ root, home });
  } catch {
    return []; // `doctor`'s port check already says the workspace does not load.
  }
  return [...workspace.codebases.values()].map((codebase) => ({
    codebase: codebase.name,
    toolchain: resolveToolchain(codebase, env, home),
  }));
}

/** `doctor`'s lines: each tool a codebase needs, the binary that satisfies it or the fix; its virtualenv. */
export async function toolchainChecks(root: string, home: string, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const checks: Check[] = [];
  for (const { codebase, toolchain } of await workspaceToolchains(root, home, env)) {
    for (const status of toolchain.tools) {
      const asked = `${status.constraint} (${formatLocation(status.from)})`;
      checks.push(
        status.found
          ? {
              name: `${codebase}: ${status.tool}`,
              ok: true,
              detail: `${status.found.version} (${status.found.source}, ${status.found.bin}) for ${asked}`,
            }
          : {
              name: `${codebase}: ${status.tool}`,
              ok: false,
              detail: `nothing satisfies ${asked}`,
              ...(status.fix ? { fix: status.fix.text } : {}),
            },
      );
    }
    if (toolchain.missingVenv)
      checks.push({
        name: `${codebase}: venv`,
        ok: false,
        detail: `${toolchain.missingVenv} (toolchain.venv) is not a virtualenv`,
        fix: `python3 -m venv ${toolchain.missingVenv}`,
      });
    if (toolchain.venv)
      checks.push({ name: `${codebase}: venv`, ok: true, detail: `${toolchain.venv} (activated)` });
  }
  return checks;
}
