import { type InitResult, init as initFolder } from "../init/index.js";

export type { InitResult } from "../init/index.js";

/** `berth init`: writes a commented berth.yaml for a folder, detecting its stack; never overwrites one. */
export function init(options: { dir: string; from?: string; signal?: AbortSignal }): InitResult {
  options.signal?.throwIfAborted();
  return initFolder({ dir: options.dir, ...(options.from === undefined ? {} : { from: options.from }) });
}
