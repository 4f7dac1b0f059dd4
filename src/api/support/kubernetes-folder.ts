import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import {
  type DeploymentModel,
  deploymentModel,
  folderFiles,
  renderKubernetes,
  secretValues,
  validateObjects,
} from "../../targets/index.js";
import type { Workspace } from "../../workspace/index.js";

export interface KubernetesFolder {
  dir: string;
  /** The files written, kustomization.yaml first. */
  files: string[];
  /** What does not map to Kubernetes, in words. */
  notes: string[];
  /** Every object, as `kind/name`. */
  objects: { kind: string; name: string }[];
  workspace: string;
}

/**
 * Renders the closure of `codebases` into `dir` as a kustomize folder, each object validated against the
 * Kubernetes schemas first. The Secret's generated values are kept from the folder's previous Secret (a
 * password given to a database must not change on the next export); that file alone is 0600.
 */
export async function writeKubernetesFolder(
  workspace: Workspace,
  codebases: readonly string[],
  dir: string,
  options: { namespace: string; hostEnv: NodeJS.ProcessEnv },
): Promise<KubernetesFolder> {
  const model: DeploymentModel = deploymentModel(workspace, codebases);
  const secretFile = join(dir, `secret-${model.workspace}-secrets.yaml`);
  const kept = keptSecrets(secretFile);
  const values = Object.fromEntries(
    secretValues(model.secrets, workspace, (name: string) => kept[name], options.hostEnv),
  );
  const render = renderKubernetes(model, values, options.namespace);
  await validateObjects(render.objects.map(({ object }) => object));
  const files = folderFiles(render.objects, options.namespace);
  mkdirSync(dir, { recursive: true });
  removeStale(dir, new Set(files.map((file) => file.name)));
  for (const file of files) {
    const path = join(dir, file.name);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.text, { mode: file.secret ? 0o600 : 0o644 });
    renameSync(temporary, path);
  }
  return {
    dir,
    files: files.map((file) => file.name),
    notes: [...new Set(render.notes)],
    objects: render.objects.map(({ object }) => ({ kind: object.kind, name: object.metadata?.name ?? "" })),
    workspace: model.workspace,
  };
}

function keptSecrets(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const secret = parse(readFileSync(file, "utf8")) as { stringData?: Record<string, unknown> } | null;
  return Object.fromEntries(
    Object.entries(secret?.stringData ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

/** Files a previous export listed in its kustomization and this one no longer renders. */
function removeStale(dir: string, rendered: Set<string>): void {
  const kustomization = join(dir, "kustomization.yaml");
  if (!existsSync(kustomization)) return;
  const previous = parse(readFileSync(kustomization, "utf8")) as { resources?: unknown } | null;
  const resources = Array.isArray(previous?.resources) ? previous.resources : [];
  for (const name of resources) {
    if (typeof name === "string" && !name.includes("/") && !rendered.has(name))
      rmSync(join(dir, name), { force: true });
  }
}
