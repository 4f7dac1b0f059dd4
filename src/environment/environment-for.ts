import type { Plan } from "../graph/index.js";
import {
  knownClaims,
  PROVIDER_IMPLEMENTATIONS,
  type ProviderClaims,
  type Servers,
} from "../providers/index.js";
import { ClaimStore, SecretStore } from "../state/index.js";
import { resolveToolchain, toolchainEnv } from "../toolchains/index.js";
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
  const toolchains = new Map<string, Record<string, string>>();
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
    toolchainEnv: (codebase) => {
      const found = workspace.codebases.get(codebase);
      if (!found) return {};
      let env = toolchains.get(codebase);
      if (!env) {
        env = toolchainEnv(resolveToolchain(found, hostEnv, home), hostEnv.PATH);
        toolchains.set(codebase, env);
      }
      return env;
    },
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
