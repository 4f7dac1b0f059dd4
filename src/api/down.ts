import type { RuntimeEvent } from "../logs/index.js";
import { SupervisorClient } from "../supervisor/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/** `berth down`: stops the workspace's codebases (or the named ones); data is kept. */
export async function down(
  options: WorkspaceOptions & {
    codebases?: string[];
    all?: boolean;
    /** What it waits for, said at once: a pending `up` it cancels, another change to finish. */
    onEvent?: (event: RuntimeEvent) => void;
  },
): Promise<{ stopped: string[] }> {
  const client = await SupervisorClient.connect(homeOf(options), { start: false });
  if (!client) return { stopped: [] };
  try {
    return await client.request<{ stopped: string[] }>(
      "down",
      {
        root: options.root,
        codebases: options.codebases ?? [],
        all: options.all ?? false,
      },
      options.onEvent,
    );
  } finally {
    client.close();
  }
}
