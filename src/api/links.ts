import { manifestPath } from "../manifest/index.js";
import { Links } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export function listLinks(options: WorkspaceOptions): Record<string, string> {
  options.signal?.throwIfAborted();
  return new Links(homeOf(options), manifestPath(options.root)).all();
}
