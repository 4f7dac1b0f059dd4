import { PROVIDER_IMPLEMENTATIONS, type ShellCommand } from "../providers/index.js";
import { claimFor } from "./support/claim-target.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/** `berth db shell <codebase>[/<alias>]`: the client command for a claim, already authenticated. */
export async function dbShellCommand(options: WorkspaceOptions & { target: string }): Promise<ShellCommand> {
  const { server, grant } = await claimFor(options.root, homeOf(options), options.target);
  const provider = PROVIDER_IMPLEMENTATIONS[server.kind];
  return provider.shell(provider.exports(server, grant));
}
