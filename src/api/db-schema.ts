import { BerthError } from "../errors/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../providers/index.js";
import { claimFor } from "./support/claim-target.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/**
 * `berth db schema <codebase>/<alias>`: the claim's schema in a stable, diff-friendly form: no data, no
 * owners or privileges, no comments, settings or other lines that differ between two equal databases.
 */
export async function dbSchema(options: WorkspaceOptions & { target: string }): Promise<string> {
  const home = homeOf(options);
  const { server, grant } = await claimFor(options.root, home, options.target);
  const provider = PROVIDER_IMPLEMENTATIONS[server.kind];
  if (provider.schema) return stable(await provider.schema({ server, grant }));
  const kinds = Object.values(PROVIDER_IMPLEMENTATIONS).flatMap((each) => (each.schema ? [each.kind] : []));
  throw new BerthError("BERTH_NO_SCHEMA", `${server.kind} has no schema`, {
    hint: `schemas are for ${kinds.join(" and ")} claims`,
  });
}

function stable(lines: string[]): string {
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
