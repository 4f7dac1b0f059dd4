import { BerthError, type Location } from "../errors/index.js";
import { didYouMean } from "./did-you-mean.js";
import { EXTERNAL_EXPORTS } from "./external-checks.js";
import { parseTemplate, type Reference, referencesIn, type TemplatePart } from "./interpolation.js";
import { type Manifest, PROVIDER_EXPORTS } from "./schema.js";
import type { YamlPath, YamlSource } from "./source.js";
import { unknownNameError } from "./unknown-name.js";

/** A string that Berth interpolates, parsed once at load time. */
export interface InterpolatedField {
  path: YamlPath;
  parts: TemplatePart[];
}

/** An `${env.<NAME>}`: its variable can only be checked where the manifest is used. */
export interface EnvReference {
  name: string;
  location: Location;
}

/** A `${requires.<codebase alias>.<key>}` whose key can only be checked once the other codebase is loaded. */
export interface PendingExport {
  alias: string;
  key: string;
  location: Location;
}

export interface TextPosition {
  /** Where a reference is, given its offset in the field's text and the text as written. */
  locate(offset: number, text: string): Location;
}

/** The paths of every interpolated string of a manifest. */
export function interpolatedPaths(manifest: Manifest): { path: YamlPath; value: string }[] {
  const fields: { path: YamlPath; value: string }[] = [];
  const add = (path: YamlPath, value: unknown) => {
    if (typeof value === "string") fields.push({ path, value });
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) add([...path, index], item);
    }
  };
  for (const [key, value] of Object.entries(manifest.env ?? {})) add(["env", key], value);
  for (const [alias, requirement] of Object.entries(manifest.requires ?? {})) {
    if (!("external" in requirement)) continue;
    for (const [key, value] of Object.entries(requirement.external))
      add(["requires", alias, "external", key], value);
    add(["requires", alias, "ready", "exec"], requirement.ready?.exec);
  }
  for (const [key, value] of Object.entries(manifest.exports ?? {})) add(["exports", key], value);
  for (const [name, task] of Object.entries(manifest.tasks ?? {})) add(["tasks", name, "run"], task.run);
  for (const [name, process] of Object.entries(manifest.processes ?? {})) {
    add(["processes", name, "run"], process.run);
    add(["processes", name, "ready", "exec"], process.ready?.exec);
  }
  return fields;
}

/** Where a reference inside a YAML scalar is: the reference text searched for within the scalar's range. */
export function scalarPosition(source: YamlSource, path: YamlPath): TextPosition {
  return {
    locate(_offset, text) {
      const [start, end] = source.rangeOf(path);
      const found = source.text.indexOf(text, start);
      return source.locateOffset(found !== -1 && found < end ? found : start);
    },
  };
}

/** Where a reference inside a plain file (a template) is: its offset, exactly. */
export function filePosition(file: string, text: string): TextPosition {
  return {
    locate(offset) {
      const before = text.slice(0, offset).split("\n");
      return { file, line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
    },
  };
}

/**
 * Parses a field and checks each reference against what this manifest alone can tell: its requirement
 * aliases, provider exports, processes and files. Exports of other codebases come back as pending.
 */
export function checkField(
  text: string,
  manifest: Manifest,
  position: TextPosition,
): { parts: TemplatePart[]; errors: BerthError[]; pending: PendingExport[]; env: EnvReference[] } {
  const { parts, problems } = parseTemplate(text);
  const errors = problems.map(
    (problem) =>
      new BerthError("BERTH_INTERPOLATION", problem.message, {
        location: position.locate(problem.offset, text.slice(problem.offset)),
        hint: problem.hint,
      }),
  );
  const pending: PendingExport[] = [];
  const env: EnvReference[] = [];
  for (const part of referencesIn(parts)) {
    const location = position.locate(part.offset, part.text);
    if (part.ref.kind === "env") env.push({ name: part.ref.name, location });
    const problem = checkReference(part.ref, manifest);
    if (problem === "pending" && part.ref.kind === "requires") {
      pending.push({ alias: part.ref.alias, key: part.ref.key, location });
    } else if (problem !== undefined && problem !== "pending") {
      errors.push(
        new BerthError("BERTH_INTERPOLATION", `${part.text}: ${problem.message}`, {
          location,
          hint: problem.hint,
        }),
      );
    }
  }
  return { parts, errors, pending, env };
}

type Problem = { message: string; hint?: string | undefined } | "pending" | undefined;

/** A reference to a name the manifest does not declare under `section`, worded as every unknown name is. */
function unknownName(
  what: string,
  name: string,
  section: "requires" | "processes" | "files",
  manifest: Manifest,
): Problem {
  return unknownNameError({
    what,
    name,
    known: Object.keys(manifest[section] ?? {}),
    within: `codebase ${manifest.name}`,
    none: `declare it under \`${section}:\``,
  });
}

function checkReference(ref: Reference, manifest: Manifest): Problem {
  switch (ref.kind) {
    case "requires": {
      const requirement = manifest.requires?.[ref.alias];
      if (requirement === undefined) return unknownName("requirement", ref.alias, "requires", manifest);
      if ("external" in requirement) {
        const exports = [...new Set([...EXTERNAL_EXPORTS, ...Object.keys(requirement.external)])];
        if (exports.includes(ref.key)) return undefined;
        return {
          message: `external \`${ref.alias}\` exports ${exports.join(", ")}; not \`${ref.key}\``,
          hint: didYouMean(ref.key, exports) ?? `declare \`${ref.key}\` beside its \`url\``,
        };
      }
      if (!("provider" in requirement)) return "pending";
      const exports = PROVIDER_EXPORTS[requirement.provider];
      if (exports.includes(ref.key)) return undefined;
      return {
        message: `${requirement.provider} exports ${exports.join(", ")}; not \`${ref.key}\``,
        hint: didYouMean(ref.key, exports),
      };
    }
    case "processes": {
      const process = manifest.processes?.[ref.process];
      if (process === undefined) return unknownName("process", ref.process, "processes", manifest);
      if (process.port === undefined) {
        return {
          message: `process \`${ref.process}\` has no port`,
          hint: "add `port: auto` (or a number) to it",
        };
      }
      return undefined;
    }
    case "files": {
      if (manifest.files?.[ref.name] !== undefined) return undefined;
      return unknownName("file", ref.name, "files", manifest);
    }
    case "self": {
      const exports = ["dir", ...Object.keys(manifest.exports ?? {})];
      if (exports.includes(ref.key)) return undefined;
      return {
        message: `this codebase exports ${exports.join(", ")}; not \`${ref.key}\``,
        hint: didYouMean(ref.key, exports) ?? "declare it under `exports:`",
      };
    }
    case "secret":
    case "env":
      return undefined;
  }
}
