import type { Plan } from "../graph/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../providers/index.js";
import type { ClaimRecord, ServerRecord, Servers } from "../providers/servers.js";
import { ClaimStore, SecretStore } from "../state/index.js";
import type { Workspace } from "../workspace/index.js";
import { knownPorts } from "./decided-ports.js";
import { Environment } from "./environment.js";
import { renderedFilePath } from "./rendered-files.js";

/** The servers and claims a plan uses, decided up front: `consumer#alias` → its server and claim. */
export type ProviderClaims = Map<
  string,
  { server: ServerRecord; claim: ClaimRecord; constraint?: string | undefined }
>;

export async function decideClaims(
  servers: Servers,
  workspace: Workspace,
  plan: Pick<Plan, "codebases">,
): Promise<ProviderClaims> {
  const claims: ProviderClaims = new Map();
  const planned = new Set(plan.codebases);
  for (const dependency of workspace.dependencies) {
    if (!planned.has(dependency.from) || dependency.target.kind !== "provider") continue;
    const consumer = workspace.codebases.get(dependency.from);
    if (!consumer) continue;
    const server = await servers.decide(dependency.target.provider, dependency.target.version);
    const claim = servers.decideClaim(consumer, dependency.alias, server, dependency.target.database);
    claims.set(`${dependency.from}#${dependency.alias}`, {
      server,
      claim,
      constraint: dependency.target.version,
    });
  }
  return claims;
}

/** Claims as the state folder knows them, for commands that start nothing (exec, env, plan). */
export function knownClaims(
  servers: Servers,
  workspace: Workspace,
  plan: Pick<Plan, "codebases">,
): ProviderClaims {
  const claims: ProviderClaims = new Map();
  for (const name of plan.codebases) {
    const consumer = workspace.codebases.get(name);
    for (const alias of Object.keys(consumer?.loaded.manifest.requires ?? {})) {
      const claim = consumer && servers.claimOf(consumer.dir, alias);
      const server = claim && servers.server(claim.server);
      if (claim && server) claims.set(`${name}#${alias}`, { server, claim });
    }
  }
  return claims;
}

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
