import type { ServerStep } from "../../graph/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/** Starts the servers of the provider kind and version the claims decided on. */
export async function runServer(run: UpRun, step: ServerStep): Promise<StepOutcome> {
  const { servers, registry } = run.context;
  const wanted = [...run.claims.values()].filter(
    ({ server, constraint }) => server.kind === step.provider && constraint === step.version,
  );
  for (const key of new Set(wanted.map(({ server }) => server.key))) {
    const server = servers.server(key);
    if (server) await servers.start(server, registry, run.context.signal);
  }
  return "done";
}
