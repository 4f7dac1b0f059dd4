import type { CanonicalService, Port, Volume } from "./canonical.js";
import { isMapping } from "./compose-file.js";

/** Keys whose value the later file replaces whole, as Compose does (shell commands, the healthcheck's test). */
const REPLACED = new Set(["command", "entrypoint"]);

/**
 * Merges an overriding service into a base one by Compose's rules: mappings key by key, scalars and
 * `command`/`entrypoint`/`healthcheck.test` replaced, `ports` appended unless the same, `volumes` (and
 * `secrets`/`configs`) unique by target, other lists appended.
 */
export function mergeService(base: CanonicalService, override: CanonicalService): CanonicalService {
  const merged: CanonicalService = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const before = base[key];
    if (REPLACED.has(key) || before === undefined) merged[key] = value;
    else if (key === "healthcheck" && isMapping(before) && isMapping(value))
      merged[key] = { ...before, ...value };
    else if (key === "ports") merged[key] = uniqueBy([...(before as Port[]), ...(value as Port[])], portKey);
    else if (key === "volumes")
      merged[key] = uniqueBy([...(before as Volume[]), ...(value as Volume[])], (volume) => volume.target);
    else if ((key === "secrets" || key === "configs") && Array.isArray(before) && Array.isArray(value))
      merged[key] = uniqueBy([...before, ...value], targetOf);
    else merged[key] = mergeValue(before, value);
  }
  return merged;
}

function mergeValue(before: unknown, value: unknown): unknown {
  if (isMapping(before) && isMapping(value)) {
    const merged: Record<string, unknown> = { ...before };
    for (const [key, item] of Object.entries(value))
      Object.defineProperty(merged, key, {
        value: key in before ? mergeValue(before[key], item) : item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return merged;
  }
  if (Array.isArray(before) && Array.isArray(value)) return [...before, ...value];
  return value;
}

/** The later entry with a key wins, in the place of the first. */
function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.values()];
}

function portKey(port: Port): string {
  return `${port.host_ip ?? ""}:${port.published ?? ""}:${port.target}/${port.protocol}`;
}

function targetOf(item: unknown): string {
  if (typeof item === "string") return item;
  if (isMapping(item)) return String(item.target ?? item.source ?? "");
  return String(item);
}
