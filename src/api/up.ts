import type { RuntimeEvent, UpResult } from "../logs/index.js";
import { SupervisorClient } from "../supervisor/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/**
 * `berth up -d` as a library call: starts the workspace (the supervisor too, if needed) and resolves once
 * everything asked for is ready or something failed. An aborted signal stops what this call started.
 */
export async function up(
  options: WorkspaceOptions & {
    codebases?: string[];
    trustAll?: boolean;
    signal?: AbortSignal;
    onEvent?: (event: RuntimeEvent) => void;
  },
): Promise<UpResult> {
  const client = await SupervisorClient.connect(homeOf(options), { start: true });
  if (!client) throw new Error("bug: the supervisor did not start");
  const cancel = () => client.cancel();
  options.signal?.addEventListener("abort", cancel, { once: true });
  try {
    const params = {
      root: options.root,
      codebases: options.codebases ?? [],
      env: process.env,
      trustAll: options.trustAll ?? false,
      follow: false,
    };
    return await client.request<UpResult>("up", params, options.onEvent);
  } finally {
    options.signal?.removeEventListener("abort", cancel);
    client.close();
  }
}
