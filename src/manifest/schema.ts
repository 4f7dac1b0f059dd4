import * as z from "zod";
import { DURATION_EXAMPLES, DURATION_PATTERN } from "./duration.js";

/**
 * The one source of the manifest's shape: the validator, the JSON Schema (`berth schema`) and the
 * reference docs are all derived from it.
 */

/**
 * The provider kinds, one row each: what a claim exports to the codebase that claims it, and how claims
 * are kept apart (a `database:` of its own, or something Berth picks). Each kind's behaviour lives in
 * its own file or folder under src/providers/.
 */
export const PROVIDER_KINDS = {
  postgres: { exports: ["url", "host", "port", "user", "password", "database"], database: true },
  mysql: { exports: ["url", "host", "port", "user", "password", "database"], database: true },
  redis: { exports: ["url", "host", "port", "db", "user", "password"], apart: "its own Redis db index" },
  memcached: { exports: ["url", "host", "port", "prefix"], apart: "its own key prefix" },
} as const satisfies Record<string, { exports: readonly string[]; database?: true; apart?: string }>;

export type ProviderKind = keyof typeof PROVIDER_KINDS;
export const PROVIDERS = Object.keys(PROVIDER_KINDS) as [ProviderKind, ...ProviderKind[]];

const CODEBASE_NAME = /^[a-z][a-z0-9-]*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const identifier = (what: string) =>
  z
    .string()
    .regex(IDENTIFIER, { error: `a ${what} name is letters, digits, _ and -, starting with a letter` });

const DURATION_ERROR = `must be a duration: ${DURATION_EXAMPLES}`;
const duration = z.union(
  [
    z.number().nonnegative({ error: DURATION_ERROR }),
    z.string().regex(DURATION_PATTERN, { error: DURATION_ERROR }),
  ],
  { error: DURATION_ERROR },
);

const COMMAND_ERROR =
  "must be a command: a shell command line (a string) or a list of arguments run without a shell";
const command = z.union(
  [z.string().min(1, { error: COMMAND_ERROR }), z.array(z.string()).min(1, { error: COMMAND_ERROR })],
  { error: COMMAND_ERROR },
);

const CPU_QUANTITY = /^(\d+m|\d+(\.\d+)?)$/;
const MEMORY_QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

const PORT_ERROR = 'must be a port number (1-65535) or "auto"';

const globs = z.array(z.string().min(1)).describe("glob patterns, relative to the codebase's folder");

const providerRequirement = z
  .strictObject({
    provider: z.enum(PROVIDERS).describe("the kind of infrastructure this codebase claims a share of"),
    version: z
      .union([z.string(), z.number()])
      .optional()
      .describe('the server\'s major version, or a constraint such as ">=14"'),
    database: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, { error: "a database name is lowercase letters, digits and _" })
      .optional()
      .describe("postgres and mysql: the database name (default: the codebase's name)"),
  })
  .describe("a claim on a provider: its own database and user, or Redis db index, or memcached prefix");

const cascade = z
  .boolean()
  .optional()
  .describe(
    "restart this codebase's processes after every restart of the required codebase's processes, for clients that cannot reconnect (default: only when what it receives changed)",
  );

const pathRequirement = z
  .strictObject({
    path: z.string().min(1).describe("another codebase's folder, relative to this manifest"),
    cascade,
  })
  .describe("another codebase, by path");

const gitRequirement = z
  .strictObject({
    git: z.string().min(1).describe("a git URL (or local repository path) of another codebase"),
    ref: z.string().min(1).optional().describe("branch, tag or commit (default: the remote's HEAD)"),
    path: z.string().min(1).optional().describe("the codebase's folder inside the repository"),
    cascade,
  })
  .describe("another codebase, by git; the resolved commit is pinned in berth.lock");

const probe = z
  .strictObject({
    http: z
      .string()
      .startsWith("/", { error: "must start with / (it is a path on 127.0.0.1:<port>)" })
      .optional()
      .describe("ready when GET http://127.0.0.1:<port><path> answers 2xx or 3xx"),
    tcp: z.literal(true).optional().describe("ready when the port accepts a connection"),
    exec: command.optional().describe("ready when this command exits 0"),
    log: z.string().min(1).optional().describe("ready when a line of output matches this regular expression"),
    interval: duration.optional().describe("time between tries (default 250ms)"),
    timeout: duration.optional().describe("deadline for the probe to pass (default 60s)"),
    start_period: duration.optional().describe("time to wait before the first try (default 0)"),
  })
  .describe("the readiness probe: exactly one of http, tcp, exec, log");

const externalRequirement = z
  .strictObject({
    external: z
      .strictObject({
        url: z
          .string()
          .min(1)
          .describe(
            "where it is, e.g. http://127.0.0.1:9200 or mysql://root:${env.PW}@127.0.0.1:3307/db; its values (and the extra keys') may use ${env.<VARIABLE>} and ${secret.<name>}",
          ),
      })
      .catchall(z.union([z.string(), z.number()], { error: "must be a string or a number" }))
      .describe(
        "a service Berth does not start or stop (another team's server, a container of a legacy stack on its published port): its `url` and any extra keys (such as user, password; strings or numbers), each exported. Exports url, host, port (the scheme's default port when the URL has none) and every extra key; extras named like secrets and the URL's password are masked in all output and logs",
      ),
    ready: probe
      .extend({
        http: z
          .string()
          .startsWith("/", { error: "must start with / (it is a path on the url's host and port)" })
          .optional()
          .describe("ready when GET http://<the url's host>:<port><path> answers 2xx or 3xx"),
        tcp: z.literal(true).optional().describe("ready when the url's host and port accept a connection"),
        log: z.string().optional().describe("not for an external: it has no output to read (refused)"),
      })
      .optional()
      .describe(
        "readiness probe, one of http (plain HTTP GET on the url's host and port), tcp (connect to them), exec (a command, given BERTH_EXTERNAL_URL, BERTH_EXTERNAL_HOST, BERTH_EXTERNAL_PORT and one BERTH_EXTERNAL_<KEY> per extra key); the codebase's migrate, seed and processes wait for it until its timeout (default 60s), then `up` fails naming it. No probe: ready at once",
      ),
  })
  .describe("a service Berth does not run: it waits for it and hands on its address");

const requirement = z.union([providerRequirement, pathRequirement, gitRequirement, externalRequirement]);

const task = z
  .strictObject({
    run: command.optional().describe("the command (a seed may load `snapshot` instead)"),
    snapshot: z
      .string()
      .min(1)
      .optional()
      .describe("seed only: an exported snapshot archive whose data for this codebase is loaded as the seed"),
    baseline: z
      .string()
      .min(1)
      .optional()
      .describe("migrate only: an exported snapshot archive loaded into an empty database before `run`"),
    inputs: globs
      .optional()
      .describe("the task is skipped when these files, its command and its env are unchanged"),
    creates: z
      .array(z.string().min(1))
      .optional()
      .describe("paths the task makes (e.g. node_modules): it is not skipped while one of them is missing"),
    outputs: z
      .array(
        z.union([
          identifier("output"),
          z
            .strictObject({
              name: identifier("output"),
              secret: z.boolean().optional().describe("hide its value in all output and logs"),
            })
            .describe("an output written `{ name: client_secret, secret: true }`"),
        ]),
      )
      .optional()
      .describe(
        "claim task only: the keys it writes to $BERTH_OUTPUT, exported to the consumer. An output is masked in all output and logs when its name contains pass, secret, token or key, or it is marked `secret: true`; the claim task's own output is shown when it ends, with these hidden",
      ),
    timeout: duration.optional().describe("the task fails if it runs longer (default: no limit)"),
    watch: z
      .boolean()
      .optional()
      .describe(
        "false: a change to its inputs while the workspace runs does not run it again (default true: it runs, then the codebase's processes restart)",
      ),
  })
  .describe("a one-shot command");

const process = z
  .strictObject({
    run: command,
    port: z
      .union(
        [
          z
            .number()
            .int({ error: PORT_ERROR })
            .min(1, { error: PORT_ERROR })
            .max(65535, { error: PORT_ERROR }),
          z.literal("auto"),
        ],
        {
          error: PORT_ERROR,
        },
      )
      .optional()
      .describe('the port it listens on; "auto" picks a free one and keeps it'),
    ready: probe.optional(),
    restart: z
      .enum(["no", "on-failure", "always"])
      .optional()
      .describe("restart policy (default on-failure)"),
    watch: globs
      .optional()
      .describe(
        "restart the process when a file matching these globs changes (in the linked checkout when linked); .git/, node_modules/, the codebase's .gitignore entries, its data folders and Berth's state are never watched",
      ),
    watch_ignore: globs.optional().describe("changes to files matching these globs do not restart it"),
    watch_debounce: duration
      .optional()
      .describe(
        "how long changes must be quiet before the restart (default 300ms; 0 restarts on the first change); changes during a restart cause one more at most",
      ),
    stop_timeout: duration.optional().describe("grace period between SIGTERM and SIGKILL (default 10s)"),
  })
  .describe("a long-running command");

export const manifestSchema = z
  .strictObject({
    name: z
      .string()
      .regex(CODEBASE_NAME, {
        error: "a codebase name is lowercase letters, digits and -, starting with a letter",
      })
      .describe("the codebase's name, unique in a workspace"),
    description: z.string().optional(),
    requires: z
      .record(identifier("requirement alias"), requirement)
      .optional()
      .describe("what this codebase needs, by local alias: providers, other codebases and external services"),
    env: z
      .record(
        z.string().regex(ENV_NAME, { error: "an environment variable name is letters, digits and _" }),
        z.union([z.string(), z.number(), z.boolean()], { error: "must be a string, a number or a boolean" }),
      )
      .optional()
      .describe(
        "environment of every task and process, with ${...} interpolation: ${requires.<alias>.<export>}, ${processes.<name>.port}, ${env.<VARIABLE>}, ${self.dir}, ${self.<export>} (this codebase's own exports), ${files.<name>} and ${secret.<name>}: a development secret of 32 random URL-safe characters, made once per state folder and codebase, kept (0600) in $BERTH_HOME, masked in all output and logs, and kept by snapshots so a restore matches its data. A process with a `port` also gets PORT unless env or env_file sets it. Values whose key contains pass, secret, token or key are masked in all output and logs",
      ),
    env_file: z
      .string()
      .min(1)
      .optional()
      .describe("a dotenv file whose values are added to env and masked in all output and logs"),
    files: z
      .record(
        identifier("file"),
        z.strictObject({ template: z.string().min(1).describe("template path, relative to the codebase") }),
      )
      .optional()
      .describe("config files rendered with interpolation before any task runs; ${files.<name>} is the path"),
    tasks: z
      .record(identifier("task"), task)
      .optional()
      .describe(
        "install, migrate, seed, claim and custom tasks. `claim` runs once per consumer that reads one of its `outputs` (as ${requires.<alias>.<output>}), after the providing codebase's tasks have run and its processes are ready, with the providing codebase's env plus BERTH_CONSUMER (the consumer's name) and BERTH_OUTPUT (a file to write `key=value` lines to); it is skipped while its command, inputs and env are unchanged and the consumer's outputs are kept",
      ),
    processes: z.record(identifier("process"), process).optional(),
    exports: z
      .record(
        identifier("export"),
        z.union([z.string(), z.number()], { error: "must be a string or a number" }),
      )
      .optional()
      .describe("values consumers read as ${requires.<alias>.<key>}"),
    data: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "folders of stateful data, captured by snapshots; created (mode 0700) before the codebase's tasks and processes run",
      ),
    container: z
      .strictObject({
        image: z
          .string()
          .min(1)
          .optional()
          .describe("the image its processes and tasks run in (`berth export`); give this or `build`"),
        build: z
          .string()
          .min(1)
          .optional()
          .describe("a Dockerfile context, relative to the codebase's folder; give this or `image`"),
        command: command.optional().describe("the command of its processes in the container, if not `run`"),
        resources: z
          .strictObject({
            cpu: z
              .string()
              .regex(CPU_QUANTITY, { error: 'a CPU quantity: "500m", "1", "1.5"' })
              .optional()
              .describe('CPU each process asks for, as a Kubernetes quantity ("250m", "1")'),
            memory: z
              .string()
              .regex(MEMORY_QUANTITY, { error: 'a memory quantity: "256Mi", "1Gi", "500M"' })
              .optional()
              .describe('memory each process asks for, as a Kubernetes quantity ("256Mi", "1Gi")'),
          })
          .optional()
          .describe("resource requests of its processes on Kubernetes"),
      })
      .optional()
      .describe(
        "how its processes and tasks run on another engine (`berth export compose`, `berth export kubernetes`, `berth deploy`): a codebase with processes needs exactly one of image and build there",
      ),
  })
  .describe("berth.yaml: a codebase's development environment");

export type Manifest = z.infer<typeof manifestSchema>;
export type Requirement = z.infer<typeof requirement>;
export type ProviderRequirement = z.infer<typeof providerRequirement>;
export type ExternalRequirement = z.infer<typeof externalRequirement>;
export type Process = z.infer<typeof process>;
export type Task = z.infer<typeof task>;
export type Probe = z.infer<typeof probe>;
export type Command = z.infer<typeof command>;
export type Container = NonNullable<Manifest["container"]>;

/** The names of the outputs a codebase's `claim` task declares. */
export function claimOutputNames(manifest: Manifest): string[] {
  return (manifest.tasks?.claim?.outputs ?? []).map((output) =>
    typeof output === "string" ? output : output.name,
  );
}

export const PROBE_KINDS = ["http", "tcp", "exec", "log"] as const;

/** What each provider exports to the codebase that claims it. */
export const PROVIDER_EXPORTS = {} as Record<ProviderKind, readonly string[]>;
for (const kind of PROVIDERS) PROVIDER_EXPORTS[kind] = PROVIDER_KINDS[kind].exports;
