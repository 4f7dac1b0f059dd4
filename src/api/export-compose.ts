import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { deploymentModel, renderCompose, type SideFile, secretValues } from "../targets/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export interface ExportComposeOptions extends WorkspaceOptions {
  codebases?: readonly string[];
  /** Where the Compose file goes; undefined: it is returned (for stdout) and its side files go to `cwd`. */
  out?: string;
  cwd?: string;
  hostEnv?: NodeJS.ProcessEnv;
}

export interface ExportedCompose {
  /** The Compose file's text. */
  yaml: string;
  /** Where it was written, if it was. */
  file?: string;
  /** The folder of env files, secrets and configs beside it. */
  sideDir: string;
  /** What did not map, in words. */
  notes: string[];
}

/** The folder beside the Compose file that holds what must not be in it. */
export const COMPOSE_SIDE_DIR = "berth-compose";

/**
 * `berth export compose`: one Compose file for the asked codebases and what they require, with its env
 * files, secrets and rendered `files:` written beside it (0600 where they hold a secret). Secrets already
 * written there are kept, so a database made by an earlier export keeps its password.
 */
export async function exportCompose(options: ExportComposeOptions): Promise<ExportedCompose> {
  options.signal?.throwIfAborted();
  const workspace = await resolveWorkspace({
    root: options.root,
    home: homeOf(options),
    signal: options.signal,
  });
  const model = deploymentModel(workspace, options.codebases ?? []);
  const outDir = options.out ? dirname(resolve(options.out)) : resolve(options.cwd ?? process.cwd());
  const sideDir = join(outDir, COMPOSE_SIDE_DIR);
  const values = secretValues(
    model.secrets,
    workspace,
    (name) => keptSecret(join(sideDir, "secrets", name)),
    options.hostEnv ?? process.env,
  );
  const secretValue = (name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`bug: no value for secret ${name}`);
    return value;
  };
  const rendered = renderCompose(model, { outDir, sideDir: COMPOSE_SIDE_DIR, secretValue });
  mkdirSync(sideDir, { recursive: true, mode: 0o700 });
  chmodSync(sideDir, 0o700);
  for (const file of rendered.files) writeSideFile(outDir, file);
  if (options.out) writeAtomically(resolve(options.out), rendered.yaml, 0o644);
  return {
    yaml: rendered.yaml,
    ...(options.out ? { file: resolve(options.out) } : {}),
    sideDir,
    notes: rendered.notes,
  };
}

function keptSecret(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function writeSideFile(outDir: string, file: SideFile): void {
  const path = join(outDir, file.path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeAtomically(path, file.content, file.mode);
}

function writeAtomically(path: string, content: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}
