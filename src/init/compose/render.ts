import type { Probe } from "./commands.js";
import type { CodebaseDraft, DraftRequirement } from "./model.js";
import { todoVariable } from "./process-draft.js";

/** A draft as a commented berth.yaml. TODOs are comments, and a process without a native command runs `${env.TODO_…}`, which `berth validate` reports at its line. */
export function renderCodebase(draft: CodebaseDraft, from: string[], envFile?: string): string {
  const lines = [
    `# berth.yaml: a draft written by \`berth import\` from ${from.join(", ")}.`,
    "# Read every TODO, then check it with `berth validate`. `berth import` printed what it dropped.",
    ...(draft.source ? [`# Compose mounted this codebase's code from ${draft.source}.`] : []),
    ...draft.comments.map((comment) => `# ${comment}`),
    `name: ${draft.name}`,
  ];
  if (draft.requires.size > 0) {
    lines.push("", "requires:");
    for (const [alias, requirement] of draft.requires) {
      if (requirement.comment) lines.push(`  # ${requirement.comment}`);
      lines.push(`  ${alias}: ${flow(requirementValue(requirement))}`);
    }
  }
  if (envFile !== undefined) lines.push("", `env_file: ${scalar(envFile)}`);
  if (draft.env.size > 0) {
    lines.push("", "env:");
    for (const [key, value] of draft.env) lines.push(`  ${key}: ${scalar(value)}`);
  }
  lines.push("", "processes:");
  for (const process of draft.processes) {
    for (const comment of process.comments) lines.push(`  # ${comment}`);
    lines.push(`  ${process.name}:`);
    lines.push(`    run: ${scalar(process.run ?? `\${env.${todoVariable(process.name)}}`)}`);
    if (process.port !== undefined) lines.push(`    port: ${process.port}`);
    if (process.ready) lines.push(`    ready: ${flow(probeValue(process.ready))}`);
  }
  if (draft.exports.size > 0) {
    lines.push("", "exports:");
    for (const [key, value] of draft.exports) lines.push(`  ${key}: ${scalar(value)}`);
  }
  return `${lines.join("\n")}\n`;
}

function requirementValue(requirement: DraftRequirement): Record<string, unknown> {
  if (requirement.kind === "provider")
    return {
      provider: requirement.provider,
      ...(requirement.version === undefined ? {} : { version: requirement.version }),
      ...(requirement.database === undefined ? {} : { database: requirement.database }),
    };
  if (requirement.kind === "path") return { path: requirement.path };
  return {
    external: { url: requirement.url },
    ...(requirement.ready ? { ready: probeValue(requirement.ready) } : {}),
  };
}

function probeValue(probe: Probe): Record<string, unknown> {
  return { ...probe };
}

function flow(value: Record<string, unknown>): string {
  const entries = Object.entries(value).map(
    ([key, item]) =>
      `${key}: ${typeof item === "object" && item !== null ? flow(item as Record<string, unknown>) : scalar(item)}`,
  );
  return `{ ${entries.join(", ")} }`;
}

/** A YAML scalar: plain where YAML reads it back as the same string, else JSON-quoted (JSON is YAML). */
function scalar(value: unknown): string {
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  const text = String(value);
  const plain =
    /^[A-Za-z_/.][A-Za-z0-9_ ./=+-]*$/.test(text) &&
    !/\s$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|~)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}
