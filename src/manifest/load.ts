import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseEnv } from "node:util";
import { BerthError, BerthErrors } from "../errors/index.js";
import { checkCombinations } from "./checks.js";
import { externalReferenceErrors } from "./external-checks.js";
import {
  checkField,
  type EnvReference,
  filePosition,
  type InterpolatedField,
  interpolatedPaths,
  type PendingExport,
  scalarPosition,
} from "./fields.js";
import type { TemplatePart } from "./interpolation.js";
import type { Manifest } from "./schema.js";
import { selfExportCycles } from "./self-exports.js";
import { MAX_MANIFEST_BYTES, readYamlFile, type YamlSource } from "./source.js";
import { validateShape } from "./validate.js";

export const MANIFEST_FILE = "berth.yaml";

export interface RenderedFileTemplate {
  name: string;
  /** Absolute path of the template. */
  template: string;
  parts: TemplatePart[];
}

/** A manifest read, validated and with every interpolation parsed; what later stages build on. */
export interface LoadedManifest {
  file: string;
  dir: string;
  /** SHA-256 of the file's bytes as text: what trust is given to. */
  hash: string;
  manifest: Manifest;
  source: YamlSource;
  fields: InterpolatedField[];
  files: RenderedFileTemplate[];
  /** Values from `env_file`: added to env and masked in output. */
  envFileValues: Record<string, string>;
  /** Every file it was loaded from: itself, its env_file, its `files:` templates (a change to any is a change). */
  sources: string[];
  /** References to other codebases' exports, checked when the workspace is resolved. */
  pendingExports: PendingExport[];
  /** Every `${env.<NAME>}`, for `validate` to warn about variables that are not set. */
  envReferences: EnvReference[];
}

/** Where the manifest of a folder (or a manifest path given directly) is. */
export function manifestPath(pathOrDir: string): string {
  const absolute = resolve(pathOrDir);
  return absolute.endsWith(".yaml") || absolute.endsWith(".yml") ? absolute : join(absolute, MANIFEST_FILE);
}

/** Reads and checks one manifest; every problem found is thrown at once as `BerthErrors`. */
export function loadManifest(file: string): LoadedManifest {
  const source = readYamlFile(file);
  const { manifest, errors } = validateShape(source);
  if (!manifest) throw new BerthErrors(errors);
  const dir = dirname(file);
  errors.push(...checkCombinations(manifest, source));

  const fields: InterpolatedField[] = [];
  const pendingExports: PendingExport[] = [];
  const envReferences: EnvReference[] = [];
  for (const { path, value } of interpolatedPaths(manifest)) {
    const position = scalarPosition(source, path);
    const checked = checkField(value, manifest, position);
    fields.push({ path, parts: checked.parts });
    errors.push(...checked.errors, ...externalReferenceErrors(checked.parts, position, path));
    pendingExports.push(...checked.pending);
    envReferences.push(...checked.env);
  }

  errors.push(...selfExportCycles(fields, source));

  const files: RenderedFileTemplate[] = [];
  for (const [name, { template }] of Object.entries(manifest.files ?? {})) {
    const templatePath = resolve(dir, template);
    const text = readReferencedFile(templatePath, source, ["files", name, "template"], errors);
    if (text === undefined) continue;
    const checked = checkField(
      text,
      manifest,
      filePosition(relative(process.cwd(), templatePath) || templatePath, text),
    );
    files.push({ name, template: templatePath, parts: checked.parts });
    errors.push(...checked.errors);
    pendingExports.push(...checked.pending);
    envReferences.push(...checked.env);
  }

  let envFileValues: Record<string, string> = {};
  const envFile = manifest.env_file === undefined ? undefined : resolve(dir, manifest.env_file);
  if (envFile !== undefined) {
    const text = readReferencedFile(envFile, source, ["env_file"], errors);
    if (text !== undefined) envFileValues = parseEnv(text) as Record<string, string>;
  }

  if (errors.length > 0) throw new BerthErrors(errors);
  const hash = createHash("sha256").update(source.text).digest("hex");
  const sources = [file, ...(envFile ? [envFile] : []), ...files.map(({ template }) => template)];
  return {
    file,
    dir,
    hash,
    manifest,
    source,
    fields,
    files,
    envFileValues,
    sources,
    pendingExports,
    envReferences,
  };
}

function readReferencedFile(
  path: string,
  source: YamlSource,
  at: (string | number)[],
  errors: BerthError[],
): string | undefined {
  const problem = (reason: string, cause?: unknown): undefined => {
    errors.push(
      new BerthError("BERTH_FILE_MISSING", `${relative(source.file.replace(/[^/]+$/, ""), path)} ${reason}`, {
        location: source.locate(at),
        hint: "the path is relative to the codebase's folder",
        cause,
      }),
    );
    return undefined;
  };
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    return problem("does not exist", error);
  }
  if (stat.isDirectory()) return problem("is a directory");
  // A device or a pipe (`/dev/zero`, a FIFO) would be read forever: only regular files are read.
  if (!stat.isFile()) return problem("is not a regular file");
  if (stat.size > MAX_MANIFEST_BYTES) return problem("is larger than 1 MiB");
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return problem(`cannot be read: ${code === "EACCES" ? "permission denied" : (code ?? "error")}`, error);
  }
}
