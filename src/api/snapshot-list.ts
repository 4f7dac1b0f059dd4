import { listSnapshots as listStored } from "../snapshots/index.js";
import { type HomeOptions, homeOf } from "./support/options.js";

export interface SnapshotSummary {
  name: string;
  created: string;
  /** Bytes of its files. */
  size: number;
  codebases: string[];
}

/** `berth snapshot list`: the snapshots of this state folder. */
export async function listSnapshots(options: HomeOptions = {}): Promise<SnapshotSummary[]> {
  options.signal?.throwIfAborted();
  return listStored(homeOf(options)).map(({ name, created, size, codebases }) => ({
    name,
    created,
    size,
    codebases,
  }));
}
