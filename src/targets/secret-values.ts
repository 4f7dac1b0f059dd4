import { randomBytes } from "node:crypto";
import { BerthError } from "../errors/index.js";
import type { Workspace } from "../workspace/index.js";
import type { SecretModel } from "./model.js";

/**
 * The value of every secret a model references: kept ones first (a password already given to a database
 * must not change on the next export), then env_file values, the user's environment, or a new random one.
 */
export function secretValues(
  secrets: readonly SecretModel[],
  workspace: Workspace,
  kept: (name: string) => string | undefined,
  hostEnv: NodeJS.ProcessEnv,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const { name, source } of secrets) {
    const value =
      source.from === "env_file"
        ? workspace.codebases.get(source.codebase)?.loaded.envFileValues[source.key]
        : source.from === "host-env"
          ? hostEnv[source.variable]
          : (kept(name) ?? randomBytes(24).toString("base64url"));
    if (value === undefined) {
      const variable = source.from === "host-env" ? source.variable : name;
      throw new BerthError("BERTH_ENV_UNSET", `\${env.${variable}} is used but ${variable} is not set`, {
        hint: `set ${variable} in your environment (export ${variable}=...) and export again`,
      });
    }
    values.set(name, value);
  }
  return values;
}
