import type { Handler } from "../handler.js";
import type { Method } from "../protocol.js";
import { dashboard } from "./dashboard.js";
import { destroy } from "./destroy.js";
import { down } from "./down.js";
import { externals } from "./externals.js";
import { ping } from "./ping.js";
import { restart } from "./restart.js";
import { snapshotRestore, snapshotSave } from "./snapshot.js";
import { status } from "./status.js";
import { up } from "./up.js";
import { wait } from "./wait.js";
import { watching } from "./watching.js";

/** One handler per method of the protocol. */
export const handlers: { [M in Method]: Handler<M> } = {
  ping,
  dashboard,
  up,
  down,
  destroy,
  restart,
  "snapshot-save": snapshotSave,
  "snapshot-restore": snapshotRestore,
  status,
  wait,
  watching,
  externals,
};
