import type { BerthError } from "../errors/index.js";
import { unknownNameError } from "../manifest/index.js";
import type { Workspace } from "./resolve.js";

/** A name that names no codebase of the workspace, with the likely intended one or the ones there are. */
export function unknownCodebaseError(workspace: Workspace, name: string): BerthError {
  return unknownNameError({ what: "codebase", name, known: workspace.codebases.keys() });
}
