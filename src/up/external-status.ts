import { externalReach, knownEnvironment } from "../environment/index.js";
import { BerthError } from "../errors/index.js";
import { planUp } from "../graph/index.js";
import { Masker } from "../logs/index.js";
import { shownUrl } from "../manifest/index.js";
import { describeReach, reachOnce } from "../processes/index.js";
import { Servers } from "../providers/index.js";
import type { Workspace } from "../workspace/index.js";

/** One `external:` requirement of the workspace, tried once. */
export interface ExternalStatus {
  codebase: string;
  alias: string;
  /** Its URL as written, a password hidden. */
  url: string;
  reachable: boolean;
  /** What the try saw: "http 127.0.0.1:9200/_cluster/health HTTP 200", "tcp 127.0.0.1:3307 refused". */
  detail: string;
  /** What to do when it is not reachable. */
  fix?: string;
}

/**
 * Tries every external of a workspace once, in parallel: its probe, or without one a connection to its host
 * and port.
 */
export async function externalStatuses(
  workspace: Workspace,
  home: string,
  hostEnv: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1500,
): Promise<ExternalStatus[]> {
  const externals = workspace.dependencies.filter((dependency) => dependency.target.kind === "external");
  if (externals.length === 0) return [];
  const environment = knownEnvironment(home, workspace, planUp(workspace), new Servers(home), hostEnv);
  return Promise.all(
    externals.map(async ({ from, alias }): Promise<ExternalStatus> => {
      const codebase = workspace.codebases.get(from);
      const requirement = codebase?.loaded.manifest.requires?.[alias];
      const url = requirement && "external" in requirement ? shownUrl(requirement.external.url) : "";
      if (!codebase) return { codebase: from, alias, url, reachable: false, detail: "not loaded" };
      try {
        const reach = externalReach(environment, codebase, alias);
        const masker = new Masker(environment.secrets(from));
        const result = await reachOnce(reach.probe, reach, timeoutMs);
        const detail = masker.mask(`${describeReach(reach.probe, reach)} ${result.detail}`);
        if (result.ok) return { codebase: from, alias, url, reachable: true, detail };
        return {
          codebase: from,
          alias,
          url,
          reachable: false,
          detail,
          fix: `start it: Berth does not run an external (a legacy stack's container must publish ${reach.host}:${reach.port}), or correct \`requires.${alias}.external\` in ${codebase.loaded.file}`,
        };
      } catch (error) {
        if (!(error instanceof BerthError)) throw error;
        return { codebase: from, alias, url, reachable: false, detail: error.message, fix: error.hint ?? "" };
      }
    }),
  );
}
