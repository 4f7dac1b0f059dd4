import { existsSync } from "node:fs";
import { manifestPath } from "../../manifest/index.js";
import { type ExternalStatus, externalStatuses } from "../../up/index.js";
import { resolveWorkspace } from "../../workspace/index.js";

export type { ExternalStatus } from "../../up/index.js";

/** Every external of the workspace of `root`, tried once; a workspace that does not load has none to try. */
export async function workspaceExternals(root: string, home: string): Promise<ExternalStatus[]> {
  if (!existsSync(manifestPath(root))) return [];
  const workspace = await resolveWorkspace({ root, home }).catch(() => undefined);
  return workspace ? externalStatuses(workspace, home) : [];
}
