import { Servers } from "../providers/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/**
 * What `berth seed --reset` drops and recreates: each provider claim of the codebases (this folder's by
 * default), as `<codebase>/<alias> (<provider> <database>)`, so the question names them before anything goes.
 */
export async function resetTargets(
  options: WorkspaceOptions & { codebases: readonly string[] },
): Promise<string[]> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
  const asked = options.codebases.length > 0 ? options.codebases : [workspace.root.name];
  const servers = new Servers(home);
  return workspace.dependencies.flatMap((dependency) => {
    const consumer = workspace.codebases.get(dependency.from);
    if (!consumer || !asked.includes(dependency.from) || dependency.target.kind !== "provider") return [];
    const grant = servers.claimOf(consumer.dir, dependency.alias)?.grant;
    const name =
      grant?.database ??
      (grant?.db !== undefined ? `db ${grant.db}` : grant?.prefix ? `keys ${grant.prefix}*` : "");
    return [
      `${dependency.from}/${dependency.alias} (${dependency.target.provider}${name ? ` ${name}` : ""})`,
    ];
  });
}
