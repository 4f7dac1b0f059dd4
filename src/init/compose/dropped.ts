import { isMapping } from "./compose-file.js";

/** Keys each kind of service maps to something in the drafts; every other key is reported as dropped. */
const MAPPED: Record<"native" | "provider" | "external", Set<string>> = {
  native: new Set([
    "env_file",
    "image",
    "command",
    "entrypoint",
    "environment",
    "ports",
    "depends_on",
    "healthcheck",
    "container_name",
    "hostname",
    "extends",
  ]),
  provider: new Set(["image", "depends_on", "container_name", "hostname", "extends"]),
  external: new Set(["image", "ports", "healthcheck", "container_name", "hostname", "extends", "depends_on"]),
};

/** What a service had that its draft does not keep, each with a short summary of its value. */
export function droppedKeys(
  spec: Record<string, unknown>,
  kind: "native" | "provider" | "external",
): string[] {
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (MAPPED[kind].has(key)) continue;
    if (key === "build" && isMapping(value)) {
      const { context: _, ...rest } = value;
      if (Object.keys(rest).length > 0)
        dropped.push(`build: ${Object.keys(rest).join(", ")} (only the context is used, to group services)`);
      continue;
    }
    dropped.push(`${key}: ${summary(key, value)}`);
  }
  return dropped;
}

function summary(key: string, value: unknown): string {
  if (key === "environment" && isMapping(value))
    return `${Object.keys(value).length} variables (${Object.keys(value).join(", ")})`;
  if (key === "volumes" && Array.isArray(value))
    return value
      .map((volume) =>
        isMapping(volume)
          ? `${volume.type === "bind" ? "" : `${volume.type} `}${volume.source ?? "(anonymous)"} → ${volume.target}`
          : String(volume),
      )
      .join("; ");
  if (key === "networks" && isMapping(value))
    return `${Object.keys(value).join(", ")} (aliases used to recognise host names)`;
  if (key === "command" || key === "entrypoint") return "the image's command is not run by Berth";
  if (key === "ports" && Array.isArray(value))
    return value
      .map((port) =>
        isMapping(port)
          ? `${port.published ?? ""}${port.published === undefined ? "" : ":"}${port.target}`
          : String(port),
      )
      .join(", ");
  if (Array.isArray(value))
    return value.map((item) => (isMapping(item) ? JSON.stringify(item) : String(item))).join(", ");
  if (isMapping(value)) return Object.keys(value).join(", ");
  return String(value);
}
