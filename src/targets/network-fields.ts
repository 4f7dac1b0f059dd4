import type { TemplatePart } from "../manifest/index.js";
import type { Codebase, Workspace } from "../workspace/index.js";
import { CONTAINER_DIR, dnsName } from "./names.js";

const LOOPBACK_BEFORE_PORT = /(127\.0\.0\.1|localhost|\[::1\]):$/;

/**
 * A workspace whose manifests say the service's name where they say the loopback address before a
 * process's port (`http://127.0.0.1:${processes.api.port}` → `http://catalog-api:${processes.api.port}`):
 * natively every process shares one host, on a network each process is a service of its own. Its folder is
 * where the container has it.
 */
export function networkWorkspace(workspace: Workspace): Workspace {
  const codebases = new Map<string, Codebase>();
  for (const [name, codebase] of workspace.codebases) {
    const rewrite = (parts: TemplatePart[]) => serviceHosts(name, parts);
    const loaded = {
      ...codebase.loaded,
      fields: codebase.loaded.fields.map((field) => ({ ...field, parts: rewrite(field.parts) })),
      files: codebase.loaded.files.map((file) => ({ ...file, parts: rewrite(file.parts) })),
    };
    codebases.set(name, { ...codebase, dir: CONTAINER_DIR, loaded });
  }
  const root = codebases.get(workspace.root.name) ?? workspace.root;
  return { ...workspace, root, codebases };
}

function serviceHosts(codebase: string, parts: TemplatePart[]): TemplatePart[] {
  return parts.map((part, index) => {
    const next = parts[index + 1];
    if (typeof part !== "string" || next === undefined || typeof next === "string") return part;
    if (next.ref.kind !== "processes") return part;
    return part.replace(LOOPBACK_BEFORE_PORT, `${dnsName(codebase, next.ref.process)}:`);
  });
}
