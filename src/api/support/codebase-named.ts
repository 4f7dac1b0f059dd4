import { BerthError } from "../../errors/index.js";
import { unknownNameError } from "../../manifest/index.js";
import type { Workspace } from "../../workspace/index.js";

export function codebaseNamed(workspace: Workspace, alias: string): string {
  if (workspace.codebases.has(alias)) return alias;
  const entry = workspace.dependencies.find(
    (dependency) => dependency.from === workspace.root.name && dependency.alias === alias,
  );
  if (entry?.target.kind === "codebase") return entry.target.name;
  if (entry?.target.kind === "provider") {
    throw new BerthError(
      "BERTH_LINK_PROVIDER",
      `\`${alias}\` is a ${entry.target.provider} requirement; only codebases can be linked`,
    );
  }
  if (entry?.target.kind === "external") {
    throw new BerthError(
      "BERTH_LINK_PROVIDER",
      `\`${alias}\` is an external requirement (Berth does not run it); only codebases can be linked`,
      { hint: `change its url in ${workspace.root.loaded.file} to point elsewhere` },
    );
  }
  const known = [...workspace.codebases.keys()].filter((name) => name !== workspace.root.name);
  throw unknownNameError({
    what: "codebase or requirement",
    name: alias,
    known,
    code: "BERTH_UNKNOWN_CODEBASE",
  });
}
