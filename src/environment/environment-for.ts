import type { Plan } from "../graph/index.js";
import {
  knownClaims,
  PROVIDER_IMPLEMENTATIONS,
  type ProviderClaims,
  type Servers,
} from "../providers/index.js";
import { ClaimStore, SecretStore } from "../state/index.js";
import { resolveToolchain, toolchainEnv, toolchainKey } from "../toolchains/index.js";
import type { Workspace } from "../workspace/index.js";
import { knownPorts } from "./decided-ports.js";
import { Environment } from "./environment.js";
import { renderedFilePath } from "./rendered-files.js";

/** The environment of a workspace with what is decided: ports, provider claims, codebase claims, files. */
export function environmentFor(
  home: string,
  workspace: Workspace,
  ports: Map<string, number>,
  providerClaims: ProviderClaims,
  hostEnv: NodeJS.ProcessEnv,
): Environment {
  const codebaseClaims = new ClaimStore(home);
  const secrets = new SecretStore(home);
  const toolchains = new Map<string, { env: Record<string, string>; key: string }>();
  const toolchainOf = (codebase: string) => {
    let known = toolchains.get(codebase);
    if (!known) {
      const found = workspace.codebases.get(codebase);
      const toolchain = found ? resolveToolchain(found, hostEnv, home) : { tools: [] };
      known = { env: toolchainEnv(toolchain, hostEnv.PATH), key: toolchainKey(toolchain) };
      toolchains.set(codebase, known);
    }
    return known;
  };
  return new Environment(workspace, {
    port: (codebase, process) => ports.get(`${codebase}/${process}`),
    providerExports: (codebase, alias) => {
      const found = providerClaims.get(`${codebase}#${alias}`);
      return found && PROVIDER_IMPLEMENTATIONS[found.server.kind].exports(found.server, found.claim.grant);
    },
    claimOutputs: (consumer, alias) => {
      const dir = workspace.codebases.get(consumer)?.dir;
      return dir ? codebaseClaims.get(dir, alias) : undefined;
    },
    filePath: (codebase, name) => {
      const found = workspace.codebases.get(codebase);
      return found ? renderedFilePath(home, found, name) : name;
    },
    secret: (codebase, name) => secrets.get(workspace.codebases.get(codebase)?.dir ?? codebase, name),
    toolchainEnv: (codebase) => toolchainOf(codebase).env,
    toolchainKey: (codebase) => toolchainOf(codebase).key,
    hostEnv,
  });
}

/** The environment as the state folder knows it, for commands that start nothing (exec, env, plan, snapshot). */
export function knownEnvironment(
  home: string,
  workspace: Workspace,
  plan: Pick<Plan, "codebases">,
  servers: Servers,
  hostEnv: NodeJS.ProcessEnv = process.env,
): Environment {
  return environmentFor(
    home,
    workspace,
    knownPorts(home, workspace, plan),
    knownClaims(servers, workspace, plan),
    hostEnv,
  );
}
