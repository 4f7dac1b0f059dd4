import type { Step } from "../graph/index.js";
import type { StepOutcome } from "./executor.js";
import { UpRun } from "./step-context.js";
import { claimIsCurrent, runCodebaseClaim } from "./steps/codebase-claim.js";
import { runExternal } from "./steps/external.js";
import { runProviderClaim } from "./steps/provider-claim.js";
import { runReady } from "./steps/ready.js";
import { runServer } from "./steps/server.js";
import { runStart } from "./steps/start.js";
import { runTaskStep } from "./steps/task.js";

export type { StepContext, StepParams } from "./step-context.js";

/** What each kind of step does: one handler per kind, in `steps/`. */
export class StepRunner extends UpRun {
  run(step: Step): Promise<StepOutcome> {
    switch (step.kind) {
      case "server":
        return runServer(this, step);
      case "claim":
        return step.provider_codebase === undefined
          ? runProviderClaim(this, step)
          : runCodebaseClaim(this, step);
      case "external":
        return runExternal(this, step);
      case "install":
      case "migrate":
      case "seed":
      case "task":
        return runTaskStep(this, step).then((outcome) => {
          if (outcome === "done") this.ranTasks.add(step.codebase);
          return outcome;
        });
      case "start":
        return runStart(this, step);
      case "ready":
        return runReady(this, step);
      default:
        return unknownKind(step);
    }
  }

  /** See `claimIsCurrent`: a provider claim is never "current" this way. */
  claimIsCurrent(step: Step): boolean {
    return step.kind === "claim" && step.provider_codebase !== undefined && claimIsCurrent(this, step);
  }
}

function unknownKind(step: never): never {
  throw new Error(`bug: a step of unknown kind: ${JSON.stringify(step)}`);
}
