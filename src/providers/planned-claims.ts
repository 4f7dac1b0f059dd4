import type { Plan } from "../graph/index.js";
import type { Workspace } from "../workspace/index.js";
import type { ClaimRecord, ServerRecord, Servers } from "./servers.js";

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
