import { type ClaimData, PROVIDER_IMPLEMENTATIONS, type RestorePlan } from "../providers/index.js";
import { sha256File } from "./store.js";

export type { ClaimData };

/** The suffix of a claim's dump file in a snapshot, by its provider kind. */
export function dumpFileName(kind: string): string {
  const provider = Object.hasOwn(PROVIDER_IMPLEMENTATIONS, kind)
    ? PROVIDER_IMPLEMENTATIONS[kind as keyof typeof PROVIDER_IMPLEMENTATIONS]
    : undefined;
  return provider?.dumpFile ?? "none";
}

/**
 * Writes the claim's data to `file` with the server's own tools; resolves to the file's SHA-256, or to
 * undefined for a kind with nothing worth keeping (memcached).
 */
export async function dumpClaim(
  data: ClaimData,
  file: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const provider = PROVIDER_IMPLEMENTATIONS[data.server.kind];
  if (!provider.dump) return undefined;
  await provider.dump(data, file, signal);
  return sha256File(file);
}

/** Whether the claimed data is empty (no tables, no keys): where a migrate baseline is loaded. */
export async function isEmpty(data: ClaimData): Promise<boolean> {
  return (await PROVIDER_IMPLEMENTATIONS[data.server.kind].isEmpty?.(data)) ?? true;
}

/**
 * Checks, before any data is dropped, that the claim's dump can be loaded safely: resolves to what
 * `restoreClaim` needs (a MariaDB client that takes --sandbox).
 */
export function restorePlan(data: ClaimData): RestorePlan {
  return PROVIDER_IMPLEMENTATIONS[data.server.kind].restorePlan?.(data) ?? { flags: [] };
}

/** Replaces the claim's data with the dump's: the claimed data is dropped and recreated first. */
export async function restoreClaim(data: ClaimData, file: string, plan = restorePlan(data)): Promise<void> {
  const provider = PROVIDER_IMPLEMENTATIONS[data.server.kind];
  await provider.reset(data.server, data.grant);
  await provider.restore?.(data, file, plan);
}
