import type { z } from "zod";
import { BerthError } from "../errors/index.js";
import { didYouMean } from "./did-you-mean.js";
import { type Manifest, manifestSchema } from "./schema.js";
import type { YamlPath, YamlSource } from "./source.js";

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** Validates the parsed YAML against the schema; every problem becomes a positioned error. */
export function validateShape(source: YamlSource): { manifest?: Manifest; errors: BerthError[] } {
  if (source.data === null || source.data === undefined) {
    return {
      errors: [
        new BerthError("BERTH_MANIFEST_EMPTY", "the manifest is empty", {
          location: source.locateOffset(0),
          hint: "a manifest needs at least `name: <codebase>`; `berth init` writes a commented one",
        }),
      ],
    };
  }
  const result = manifestSchema.safeParse(source.data);
  if (result.success) return { manifest: result.data, errors: [] };
  return { errors: result.error.issues.flatMap((issue) => issueToErrors(issue, [], source)) };
}

function issueToErrors(issue: Issue, prefix: YamlPath, source: YamlSource): BerthError[] {
  const path = [...prefix, ...(issue.path as YamlPath)];
  const at = (options?: { key?: boolean }) => source.locate(path, options);
  const invalid = (message: string, hint?: string, location = at()) =>
    new BerthError("BERTH_MANIFEST_INVALID", message, { location, hint });

  if (issue.code !== "unrecognized_keys" && issue.code !== "invalid_key" && path.length > 0) {
    if (valueAt(source.data, path) === undefined) {
      const parent = path.slice(0, -1);
      const key = String(path.at(-1));
      return [
        invalid(
          `${where(parent, "", "the manifest")} is missing \`${key}\``,
          `add \`${key}:\``,
          source.locate(parent),
        ),
      ];
    }
  }
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const known = knownKeys(path);
        const owner = known.includes(key) ? branchOwning(path, key) : undefined;
        const hint = owner
          ? `\`${key}\` goes with \`${owner}\`, not here`
          : (didYouMean(key, known) ??
            (known.length > 0 ? `known keys here: ${known.join(", ")}` : undefined));
        return invalid(
          `unknown key \`${key}\`${where(path, " in")}`,
          hint,
          source.locate([...path, key], { key: true }),
        );
      });
    case "invalid_type": {
      const value = valueAt(source.data, path);
      if (!issue.message.startsWith("Invalid input")) return [invalid(`${where(path)} ${issue.message}`)];
      return [invalid(`${where(path)} must be ${article(issue.expected)}, not ${describe(value)}`)];
    }
    case "invalid_value": {
      const value = valueAt(source.data, path);
      const options = issue.values.map((option) => String(option));
      const hint = typeof value === "string" ? didYouMean(value, options) : undefined;
      const list = options.length === 1 ? `\`${options[0]}\`` : `one of ${options.join(", ")}`;
      return [invalid(`${where(path)} must be ${list}, not ${describe(value)}`, hint)];
    }
    case "invalid_union": {
      if (!issue.message.startsWith("Invalid input")) return [invalid(`${where(path)} ${issue.message}`)];
      const missing = (branchIssue: Issue) =>
        valueAt(source.data, [...path, ...(branchIssue.path as YamlPath)]) === undefined;
      if (issue.errors.every((branch) => branch.length === 1 && branch[0] && missing(branch[0]))) {
        const keys = issue.errors.map((branch) => `\`${String(branch[0]?.path.at(-1))}\``);
        return [invalid(`${where(path)} needs one of ${keys.slice(0, -1).join(", ")} or ${keys.at(-1)}`)];
      }
      return pickBranch(issue.errors).flatMap((branchIssue) => issueToErrors(branchIssue, path, source));
    }
    case "invalid_key": {
      const key = String(path.at(-1));
      const reason = issue.issues[0]?.message ?? "is not a valid key";
      return [invalid(`\`${key}\` is not a valid name: ${reason}`, undefined, at({ key: true }))];
    }
    case "invalid_format": {
      const value = valueAt(source.data, path);
      const hint =
        issue.format === "starts_with" && "prefix" in issue ? `write "${issue.prefix}${value}"` : undefined;
      return [invalid(`${where(path)} ${plain(issue.message)}`, hint)];
    }
    default:
      return [invalid(`${where(path)} ${plain(issue.message)}`)];
  }
}

/**
 * Of a union's branches, the one the user most likely meant: the fewest problems, where a missing key
 * weighs more than an extra one (a `{ provider, ref }` is a provider requirement with a stray key).
 */
function pickBranch(branches: Issue[][]): Issue[] {
  let best: Issue[] = [];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const issues of branches) {
    const score = issues.reduce(
      (sum, issue) =>
        sum +
        (issue.code === "unrecognized_keys" ? issue.keys.length : issue.code === "invalid_type" ? 2 : 1),
      0,
    );
    // On a tie, the branch that knows every key written (`{ external: {} }` lacks `url`, not `provider`).
    const tieBreak = issues.some((issue) => issue.code === "unrecognized_keys") ? 0.5 : 0;
    if (score + tieBreak < bestScore) {
      best = issues;
      bestScore = score + tieBreak;
    }
  }
  return best;
}

function where(path: YamlPath, prefix = "", whole = "the manifest"): string {
  if (path.length === 0) return prefix ? "" : whole;
  const dotted = path.map((segment) => (typeof segment === "number" ? `[${segment}]` : segment)).join(".");
  return `${prefix}${prefix ? " " : ""}\`${dotted.replace(/\.\[/g, "[")}\``;
}

function article(expected: string): string {
  if (expected === "object" || expected === "record") return "a mapping (key: value lines)";
  if (expected === "array") return "a list";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

function plain(message: string): string {
  return message
    .replace(/^Invalid (input|string): /, "")
    .replace(/^Too small: expected (\w+) to have >=1 characters?$/, "must not be empty");
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** The keys the schema allows at `path`, for "did you mean" hints. */
function knownKeys(path: YamlPath): string[] {
  let schemas: AnySchema[] = [manifestSchema];
  for (const segment of path) schemas = schemas.flatMap((schema) => childSchemas(schema, segment));
  return [...new Set(schemas.flatMap((schema) => objectKeys(schema)))];
}

/** For a key that one branch of a union allows and another doesn't: the first key of the branch that allows it. */
function branchOwning(path: YamlPath, key: string): string | undefined {
  let schemas: AnySchema[] = [manifestSchema];
  for (const segment of path) schemas = schemas.flatMap((schema) => childSchemas(schema, segment));
  const branches = schemas.flatMap(function branchesOf(schema): AnySchema[] {
    const def = unwrap(schema)._zod.def as unknown as { type: string; options?: AnySchema[] };
    return def.type === "union" ? (def.options ?? []).flatMap(branchesOf) : [schema];
  });
  if (branches.length < 2) return undefined;
  const owner = branches.map(objectKeys).find((keys) => keys.includes(key));
  return owner?.[0] === key ? undefined : owner?.[0];
}

function childSchemas(schema: AnySchema, segment: string | number): AnySchema[] {
  const def = unwrap(schema)._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === "object") {
    const child = (def.shape as Record<string, AnySchema>)[String(segment)];
    return child ? [child] : [];
  }
  if (def.type === "record") return [def.valueType as AnySchema];
  if (def.type === "array") return [def.element as AnySchema];
  if (def.type === "union")
    return (def.options as AnySchema[]).flatMap((option) => childSchemas(option, segment));
  return [];
}

function objectKeys(schema: AnySchema): string[] {
  const def = unwrap(schema)._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === "object") return Object.keys(def.shape as object);
  if (def.type === "union") return (def.options as AnySchema[]).flatMap(objectKeys);
  return [];
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  while (current._zod.def.type === "optional" || current._zod.def.type === "default") {
    current = (current._zod.def as unknown as { innerType: AnySchema }).innerType;
  }
  return current;
}
