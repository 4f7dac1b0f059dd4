import { stringify } from "yaml";
import type { Rendered } from "./objects.js";

/**
 * kubectl decodes YAML 1.1 (sigs.k8s.io/yaml), where an unquoted `yes` or `on` is a boolean: written as 1.1,
 * such strings are quoted. No anchors: each object reads whole.
 */
const YAML_OPTIONS = { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false } as const;

export interface FolderFile {
  name: string;
  text: string;
  /** Holds secret values: written 0600. */
  secret: boolean;
}

/** The file name of an object: its kind and name (`deployment-catalog-api.yaml`). */
export const fileOf = ({ object }: Rendered): string =>
  `${object.kind.toLowerCase()}-${object.metadata?.name ?? "unnamed"}.yaml`;

/** The files of a kustomize folder: one per object, in a stable order, and the kustomization listing them. */
export function folderFiles(objects: readonly Rendered[], namespace: string): FolderFile[] {
  const files = objects.map((rendered) => ({
    name: fileOf(rendered),
    text: `${rendered.comments.map((line) => `# ${line}\n`).join("")}${stringify(rendered.object, YAML_OPTIONS)}`,
    secret: rendered.object.kind === "Secret" && "stringData" in rendered.object,
  }));
  const kustomization = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    namespace,
    resources: files.map((file) => file.name),
  };
  const header =
    "# Written by `berth export kubernetes`: build with `kubectl kustomize`, apply with `berth deploy`.\n";
  return [{ name: "kustomization.yaml", text: header + stringify(kustomization), secret: false }, ...files];
}
