import type { Volume, VolumeMount } from "kubernetes-types/core/v1.js";
import type { CodebaseModel } from "../model.js";
import { type KubeObject, labelsOf } from "./objects.js";

export interface CodebaseFiles {
  objects: KubeObject[];
  volumes: Volume[];
  mounts: VolumeMount[];
  notes: string[];
}

/**
 * A codebase's `files:` as a ConfigMap (plain text) and a Secret (text holding a secret, its values written
 * in: the Secret's file is 0600), each file mounted at its own path (`${files.<name>}`). A file that reads a
 * claim's output cannot be written before the claim runs in the cluster: said, not rendered.
 */
export function codebaseFiles(
  workspace: string,
  codebase: CodebaseModel,
  secretValues: Record<string, string>,
): CodebaseFiles {
  const result: CodebaseFiles = { objects: [], volumes: [], mounts: [], notes: [] };
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const name = `${codebase.name}-files`;
  for (const file of codebase.files) {
    if (file.content.some((part) => typeof part !== "string" && "claimOutput" in part)) {
      result.notes.push(
        `${codebase.name}: file ${file.name} reads a claim's output: not rendered for Kubernetes`,
      );
      continue;
    }
    const holdsSecret = file.content.some((part) => typeof part !== "string");
    const text = file.content
      .map((part) =>
        typeof part === "string" ? part : "secret" in part ? (secretValues[part.secret] ?? "") : "",
      )
      .join("");
    (holdsSecret ? secret : plain)[file.name] = text;
    result.mounts.push({
      name: holdsSecret ? "files-secret" : "files",
      mountPath: file.target,
      subPath: file.name,
      readOnly: true,
    });
  }
  const labels = labelsOf(workspace, codebase.name, "files");
  if (Object.keys(plain).length > 0) {
    result.objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels }, data: plain });
    result.volumes.push({ name: "files", configMap: { name } });
  }
  if (Object.keys(secret).length > 0) {
    result.objects.push({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, labels },
      type: "Opaque",
      stringData: secret,
    });
    result.volumes.push({ name: "files-secret", secret: { secretName: name } });
  }
  return result;
}
