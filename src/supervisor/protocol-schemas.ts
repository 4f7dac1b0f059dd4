import * as z from "zod";
import type {
  DestroyParams,
  DownParams,
  ExternalsParams,
  Method,
  Params,
  RestartParams,
  SnapshotParams,
  SnapshotSaveParams,
  StatusParams,
  UpParams,
  WaitParams,
  WatchingParams,
} from "./protocol.js";

// Loaded by the daemon only: the client must not load zod (see protocol.ts).

const root = z.string().min(1, "the root folder is empty");
const names = z.array(z.string());
const env = z.record(z.string(), z.string().optional());

const up = z.object({
  root,
  codebases: names,
  env,
  trustAll: z.boolean(),
  follow: z.boolean(),
  lines: z.boolean().optional(),
  force: names.optional(),
  only: names.optional(),
  run: z.object({ task: z.string().min(1), for: z.string().optional() }).optional(),
  reset: z.boolean().optional(),
  watch: z.boolean().optional(),
}) satisfies z.ZodType<UpParams>;

const down = z.object({
  root,
  codebases: names.optional(),
  all: z.boolean().optional(),
  keepServers: z.boolean().optional(),
}) satisfies z.ZodType<DownParams>;

const destroy = z.object({ root, codebases: names.optional() }) satisfies z.ZodType<DestroyParams>;

const restart = z.object({
  root,
  target: z.string().min(1),
  env,
  trustAll: z.boolean(),
}) satisfies z.ZodType<RestartParams>;

const snapshot = z.object({
  root,
  name: z.string().min(1),
  env,
  trustAll: z.boolean(),
}) satisfies z.ZodType<SnapshotParams>;

const snapshotSave = snapshot.extend({ codebases: names.optional() }) satisfies z.ZodType<SnapshotSaveParams>;

const status = z.object({
  root: root.optional(),
  all: z.boolean().optional(),
}) satisfies z.ZodType<StatusParams>;

const wait = z.object({
  root,
  codebases: names.optional(),
  timeoutMs: z.number().nonnegative().optional(),
}) satisfies z.ZodType<WaitParams>;

const watching = z.object({
  root: root.optional(),
  codebases: names.optional(),
}) satisfies z.ZodType<WatchingParams>;

const externals = z.object({ root, env }) satisfies z.ZodType<ExternalsParams>;

/** The parameters of each method, checked at the socket before a handler sees them. */
export const paramSchemas: { [M in Method]: z.ZodType<Params<M>> } = {
  ping: z.object({}),
  dashboard: z.object({}),
  up,
  down,
  destroy,
  restart,
  "snapshot-save": snapshotSave,
  "snapshot-restore": snapshot,
  status,
  wait,
  watching,
  externals,
};

/** The frame around every request. */
export const requestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown().optional(),
});

/** `path: message` for each issue, the way a protocol error names them. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(request)"}: ${issue.message}`)
    .join("; ");
}
