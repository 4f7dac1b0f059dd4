import { knownEnvironment, renderFiles } from "../environment/index.js";
import { planUp } from "../graph/index.js";
import { Masker } from "../logs/index.js";
import { Servers } from "../providers/index.js";
import { resolveWorkspace, TrustStore } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export interface CodebaseEnvironment {
  codebase: string;
  dir: string;
  env: Record<string, string>;
  /** The keys the manifest (env, env_file) sets: what `berth env` shows. */
  keys: string[];
  secrets: Set<string>;
  /** `env` with every secret hidden: what `berth env` shows without `--show`. */
  masked: Record<string, string>;
  /** What each `external:` requirement exports (url, host, port, extras), as is and with secrets hidden. */
  externals: { alias: string; values: Record<string, string>; masked: Record<string, string> }[];
}

/**
 * A codebase's environment as its processes get it (ports as decided, claims as made), for `exec`,
 * `shell` and `env`. Commands that run something check trust first.
 */
export async function codebaseEnvironment(
  options: WorkspaceOptions & {
    codebase?: string;
    hostEnv?: NodeJS.ProcessEnv;
    trustAll?: boolean;
    forRunning: boolean;
  },
): Promise<CodebaseEnvironment> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
  const name = options.codebase ?? workspace.root.name;
  const plan = planUp(workspace, [name]);
  if (options.forRunning) {
    const manifests = plan.codebases.flatMap((codebase) => workspace.codebases.get(codebase)?.loaded ?? []);
    new TrustStore(home).assertTrusted(manifests, options.trustAll ?? false);
  }
  const environment = knownEnvironment(
    home,
    workspace,
    plan,
    new Servers(home),
    options.hostEnv ?? process.env,
  );
  const codebase = workspace.codebases.get(name);
  if (!codebase) throw new Error(`bug: ${name} planned but not in the workspace`);
  const keys = [
    ...Object.keys(environment.toolchainEnv(name)),
    ...Object.keys(codebase.loaded.envFileValues),
    ...Object.keys(codebase.loaded.manifest.env ?? {}),
  ];
  const env = environment.env(name);
  // What runs gets the files its ${files.<name>} point at, rendered as a process would get them.
  if (options.forRunning) renderFiles(home, codebase, environment);
  const secrets = environment.secrets(name);
  const masker = new Masker(secrets);
  const externals = workspace.dependencies
    .filter((entry) => entry.from === name && entry.target.kind === "external")
    .map(({ alias }) => {
      const values = environment.externalExports(name, alias);
      const masked = Object.fromEntries(
        Object.entries(values).map(([key, value]) => [key, masker.mask(value)]),
      );
      return { alias, values, masked };
    });
  return {
    externals,
    codebase: name,
    dir: codebase.dir,
    env,
    keys: [...new Set(keys)],
    secrets,
    masked: Object.fromEntries(Object.entries(env).map(([key, value]) => [key, masker.mask(value)])),
  };
}
