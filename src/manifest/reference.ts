import { DURATION_EXAMPLES } from "./duration.js";
import { jsonSchema } from "./json-schema.js";

type Schema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  required?: string[];
};

/**
 * The manifest reference (docs/manifest.md), generated from the same schema the validator uses, so the
 * two cannot drift: a test fails when the committed page is stale.
 */
export function manifestReference(): string {
  const schema = jsonSchema() as Schema;
  const lines = [
    "# berth.yaml reference",
    "",
    "Generated from the manifest's schema by `berth schema --markdown`; do not edit by hand.",
    "",
    `A duration (\`timeout\`, \`interval\`, \`start_period\`, \`stop_timeout\`, and \`--timeout\` on the command line) is ${DURATION_EXAMPLES}.`,
    "",
    "| key | type | description |",
    "| --- | --- | --- |",
  ];
  walk(schema, "", lines, new Set(schema.required ?? []));
  return `${lines.join("\n")}\n`;
}

function walk(schema: Schema, prefix: string, lines: string[], required: Set<string>): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    lines.push(
      `| \`${path}\`${required.has(key) ? " (required)" : ""} | ${typeOf(child)} | ${(child.description ?? describeAnyOf(child)).replace(/\|/g, "\\|")} |`,
    );
    descend(child, path, lines);
  }
}

function descend(schema: Schema, path: string, lines: string[]): void {
  if (schema.properties) walk(schema, path, lines, new Set(schema.required ?? []));
  if (typeof schema.additionalProperties === "object")
    descend(schema.additionalProperties, `${path}.<name>`, lines);
  if (schema.items) descend(schema.items, `${path}[]`, lines);
  for (const option of schema.anyOf ?? [])
    if (option.properties) walk(option, path, lines, new Set(option.required ?? []));
}

function typeOf(schema: Schema): string {
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(" \\| ");
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(" or ");
  if (schema.type === "object" && typeof schema.additionalProperties === "object") return "mapping";
  if (schema.type === "array") return `list of ${schema.items ? typeOf(schema.items) : "values"}`;
  return Array.isArray(schema.type) ? schema.type.join(" or ") : (schema.type ?? "value");
}

function describeAnyOf(schema: Schema): string {
  return (schema.anyOf ?? [])
    .map((option) => option.description)
    .filter(Boolean)
    .join("; or ");
}
