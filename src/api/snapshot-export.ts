import { exportSnapshot as exportStored } from "../snapshots/index.js";
import { type HomeOptions, homeOf, unlessAborted } from "./support/options.js";

/** `berth snapshot export <name> <file>`: writes a snapshot as one compressed archive. */
export async function exportSnapshot(
  options: HomeOptions & { name: string; file: string },
): Promise<{ exported: string; file: string }> {
  await unlessAborted(options.signal, () => exportStored(homeOf(options), options.name, options.file));
  return { exported: options.name, file: options.file };
}
