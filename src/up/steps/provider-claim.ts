import type { ProviderClaimStep } from "../../graph/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../../providers/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/** Makes the consumer's share on its server (once per server epoch); `seed --reset` drops and remakes it. */
export async function runProviderClaim(run: UpRun, step: ProviderClaimStep): Promise<StepOutcome> {
  const { servers, registry, serverUsers, emit } = run.context;
  const consumer = run.codebase(step.codebase);
  const found = run.claims.get(`${consumer.name}#${step.alias}`);
  if (!found) throw new Error(`bug: no claim decided for ${step.id}`);
  const server = servers.server(found.server.key) ?? found.server;
  const provider = PROVIDER_IMPLEMENTATIONS[server.kind];
  await servers.start(server, registry, run.context.signal);
  const started = servers.server(server.key) ?? server;
  if (servers.claimOf(consumer.dir, step.alias)?.madeIn !== started.epoch) {
    await provider.claim(started, found.claim.grant);
    servers.markMade(consumer.dir, step.alias, started.epoch);
  }
  const users = serverUsers.get(server.key) ?? new Set();
  users.add(consumer.dir);
  serverUsers.set(server.key, users);
  if (run.params.reset && run.asked(consumer.name) && !run.reset.has(step.id)) {
    run.reset.add(step.id);
    await provider.reset(server, found.claim.grant);
    servers.bumpGeneration(consumer.dir, step.alias);
    emit({
      type: "line",
      codebase: consumer.name,
      name: "berth",
      stream: "berth",
      line: `reset ${step.alias}: its data was dropped and recreated`,
      t: Date.now(),
    });
  }
  return "done";
}
