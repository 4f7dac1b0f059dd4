import { spawnSync } from "node:child_process";
import { BerthError } from "../errors/index.js";
import { workspaceToolchains } from "./support/doctor-toolchains.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export interface ToolchainInstall {
  codebase: string;
  tool: string;
  command: string;
  ok: boolean;
}

/**
 * `berth doctor --fix`: hands each missing tool to the version manager found on this machine (its output
 * goes to the terminal). Refuses, saying where to download from, when no manager is there.
 */
export async function fixToolchains(
  options: WorkspaceOptions & { env?: NodeJS.ProcessEnv },
): Promise<ToolchainInstall[]> {
  const env = options.env ?? process.env;
  const installs: ToolchainInstall[] = [];
  for (const { codebase, toolchain } of await workspaceToolchains(options.root, homeOf(options), env)) {
    for (const status of toolchain.tools) {
      if (status.found || !status.fix) continue;
      const argv = status.fix.argv;
      const [file, ...args] = argv ?? [];
      if (file === undefined) {
        throw new BerthError(
          "BERTH_TOOLCHAIN_FIX",
          `${codebase} needs ${status.tool} ${status.constraint}, and no version manager is on this machine to install it`,
          { hint: status.fix.text, location: status.from },
        );
      }
      const result = spawnSync(file, args, { stdio: ["ignore", "inherit", "inherit"], env });
      installs.push({ codebase, tool: status.tool, command: status.fix.text, ok: result.status === 0 });
    }
  }
  return installs;
}
