import { BerthError } from "../errors/index.js";
import { cycleError, findCycles } from "../graph/index.js";
import { resolveWorkspace, type Workspace } from "../workspace/index.js";
import { shortSecretWarnings } from "./short-secrets.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export interface ValidateResult {
  workspace: Workspace;
  /** Every manifest checked, root first. */
  manifests: { name: string; file: string }[];
  /**
   * What would go wrong only when the manifests are used here: `${env.<NAME>}` of a variable not set, a
   * secret too short to be masked.
   */
  warnings: BerthError[];
}

/** Loads and checks the whole workspace: every manifest, every reference, the lockfile, no cycles. */
export async function validate(
  options: WorkspaceOptions & { update?: boolean | readonly string[]; hostEnv?: NodeJS.ProcessEnv },
): Promise<ValidateResult> {
  options.signal?.throwIfAborted();
  const workspace = await resolveWorkspace({
    root: options.root,
    home: homeOf(options),
    update: options.update ?? false,
    signal: options.signal,
  });
  const cycles = findCycles(workspace);
  if (cycles[0]) throw cycleError(cycles[0]);
  const manifests = [...workspace.codebases.values()].map((codebase) => ({
    name: codebase.name,
    file: codebase.loaded.file,
  }));
  const hostEnv = options.hostEnv ?? process.env;
  const warnings = [...workspace.codebases.values()].flatMap((codebase) => [
    ...codebase.loaded.envReferences
      .filter((reference) => hostEnv[reference.name] === undefined)
      .map(
        (reference) =>
          new BerthError(
            "BERTH_ENV_UNSET",
            `\${env.${reference.name}} is used by ${codebase.name} but ${reference.name} is not set`,
            {
              location: reference.location,
              hint: `\`berth up\` will fail until it is: export ${reference.name}=...`,
            },
          ),
      ),
    ...shortSecretWarnings(codebase),
  ]);
  return { workspace, manifests, warnings };
}
