import type { Command, ProviderKind } from "../manifest/index.js";

/**
 * A value as a target sees it: text, a reference to a secret (its value never inline), or an output of a
 * codebase claim that only exists once the claim ran (read by the consumer at its start).
 */
export type ValuePart = string | { secret: string } | { claimOutput: { alias: string; key: string } };
export type Value = ValuePart[];
export type Env = Record<string, Value>;

/** Where a secret's value comes from when a target writes it (never into the rendered objects). */
export type SecretSource =
  /** Made at random once per target output and kept (provider passwords, `${secret.<name>}`). */
  | { from: "generated" }
  /** A value of the codebase's `env_file`. */
  | { from: "env_file"; codebase: string; key: string }
  /** `${env.<VARIABLE>}`: the exporting user's environment. */
  | { from: "host-env"; variable: string };

export interface SecretModel {
  /** Upper-case, `[A-Z0-9_]`: an env-file variable, a Compose secret, a Kubernetes Secret key. */
  name: string;
  source: SecretSource;
}

export type ProbeModel = (
  | { kind: "http"; path: string }
  | { kind: "tcp" }
  | { kind: "exec"; command: Command }
  | { kind: "log"; pattern: string }
) & { intervalMs: number; timeoutMs: number; startPeriodMs: number };

export interface ContainerModel {
  image?: string;
  /** Absolute path of the Dockerfile context. */
  build?: string;
  resources?: { cpu?: string; memory?: string };
}

export interface ProcessModel {
  name: string;
  /** The network name of its service (`catalog-api`), what consumers reach it by. */
  service: string;
  command: Command;
  /** The port it listens on in its container (a declared number, or AUTO_CONTAINER_PORT for `auto`). */
  port?: number;
  probe?: ProbeModel;
  restart: "no" | "on-failure" | "always";
  stopTimeoutMs: number;
  env: Env;
  /** Plan step ids: `start:<codebase>/<process>` waits for `after`; `ready:<codebase>/<process>`. */
  step: string;
  after: string[];
}

export interface TaskModel {
  name: string;
  kind: "install" | "migrate" | "seed" | "custom";
  /** The one-shot's name (`catalog-migrate`). */
  service: string;
  command: Command;
  env: Env;
  /** SHA-256 (hex) of its command, its env as written and the bytes of its `inputs`. */
  inputsHash: string;
  /** Plan step id (`migrate:catalog`) and what it waits for; custom tasks run only when asked (no step). */
  step?: string;
  after: string[];
}

export interface ProviderClaimModel {
  consumer: string;
  alias: string;
  /** Plan step id `claim:<consumer>/<alias>`. */
  step: string;
  database?: string;
  user?: string;
  /** The name of the secret holding the user's password. */
  passwordSecret?: string;
  /** redis: its db index; memcached: its key prefix. */
  db?: number;
  prefix?: string;
  /** What the consumer reads as `${requires.<alias>.<key>}`, for the network. */
  exports: Record<string, Value>;
}

export interface ProviderModel {
  kind: ProviderKind;
  /** The image's major version: "15", "10.11" (MariaDB serves mysql claims), "7", "1.6". */
  version: string;
  /** The official image at that version: `postgres:15`, `mariadb:10.11`, `redis:7`, `memcached:1.6`. */
  image: string;
  /** Network name of its service (`postgres-15`). */
  service: string;
  port: number;
  /** The name of the secret holding the admin password (none for memcached). */
  adminPasswordSecret?: string;
  /** Plan step id `server:<kind>[@<version>]` the claims wait for. */
  step: string;
  claims: ProviderClaimModel[];
}

/** A codebase claim: the providing codebase's `claim` task run once for one consumer. */
export interface CodebaseClaimModel {
  consumer: string;
  alias: string;
  /** The providing codebase. */
  provider: string;
  /** The one-shot's name (`accounts-claim-catalog`). */
  service: string;
  command: Command;
  /** The providing codebase's env, plus BERTH_CONSUMER; BERTH_OUTPUT is the target's to set. */
  env: Env;
  outputs: string[];
  /** Outputs declared secret (`secret: true`, or a name with pass, secret, token, key). */
  secretOutputs: string[];
  step: string;
  after: string[];
}

export interface FileModel {
  name: string;
  /** Where its processes and tasks find it (`${files.<name>}`). */
  target: string;
  content: Value;
}

export interface CodebaseModel {
  name: string;
  /** Its folder on this machine. */
  dir: string;
  /** Its manifest, for messages. */
  file: string;
  container: ContainerModel;
  /** The container command instead of each process's `run` (`container.command`), if set. */
  command?: Command;
  processes: ProcessModel[];
  tasks: TaskModel[];
  files: FileModel[];
}

/** One edge of the order: `step` waits for each of `after` (task completion, readiness, a claim). */
export interface OrderStep {
  id: string;
  kind: string;
  codebase?: string;
  after: string[];
}

/** What a target renders: the transitive closure of the asked codebases, as plain data. */
export interface DeploymentModel {
  /** The root codebase's name: what labels and project names use. */
  workspace: string;
  codebases: CodebaseModel[];
  providers: ProviderModel[];
  codebaseClaims: CodebaseClaimModel[];
  secrets: SecretModel[];
  order: OrderStep[];
  /** What does not map to another engine, in words (a `log` probe, a seed from a snapshot, an external). */
  notes: string[];
}
