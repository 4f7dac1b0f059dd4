import { SupervisorClient } from "../../supervisor/index.js";
import { homeOf, type WorkspaceOptions } from "./options.js";

export interface SnapshotOptions extends WorkspaceOptions {
  name: string;
  trustAll?: boolean;
}

/**
 * Saves and restores run in the supervisor: it holds the workspace and the servers already, and serialises
 * them with `up` and `down`, so no data is dumped or replaced while a command changes what runs.
 */
export async function ask<T>(
  options: SnapshotOptions,
  method: string,
  params: Record<string, unknown>,
): Promise<T> {
  const client = await SupervisorClient.connect(homeOf(options), { start: true });
  if (!client) throw new Error("bug: the supervisor did not start");
  try {
    return await client.request<T>(method, {
      root: options.root,
      name: options.name,
      env: process.env,
      trustAll: options.trustAll ?? false,
      ...params,
    });
  } finally {
    client.close();
  }
}
