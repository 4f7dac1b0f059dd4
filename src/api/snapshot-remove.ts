import { readSnapshot, removeSnapshot as removeStored } from "../snapshots/index.js";
import { type HomeOptions, homeOf } from "./support/options.js";

/** `berth snapshot rm <name>`: deletes a snapshot; a clear error when there is none of that name. */
export async function removeSnapshot(options: HomeOptions & { name: string }): Promise<{ removed: string }> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  readSnapshot(home, options.name);
  removeStored(home, options.name);
  return { removed: options.name };
}
