import type { EnvVar } from "kubernetes-types/core/v1.js";
import type { Env, Value } from "../model.js";

/** Where a claim's outputs live: the Secret its Job writes, named for the consumer and the alias. */
export type ClaimSecretOf = (alias: string) => string;

/**
 * A codebase's env as container env: plain text as `value`; a secret or a claim output alone as
 * `valueFrom.secretKeyRef`; one inside text (`postgres://u:${secret}@host/db`) as a helper variable from the
 * Secret, referenced as `$(BERTH_…)`, which the kubelet expands from variables defined before it.
 */
export function envVarsOf(env: Env, secrets: string, claimSecret: ClaimSecretOf): EnvVar[] {
  const helpers = new Map<string, EnvVar>();
  const vars: EnvVar[] = [];
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    const only = value.length === 1 ? value[0] : undefined;
    if (only !== undefined && typeof only !== "string") {
      vars.push({ name, valueFrom: { secretKeyRef: refOf(only, secrets, claimSecret) } });
      continue;
    }
    vars.push({ name, value: textOf(value, secrets, claimSecret, helpers) });
  }
  return [...helpers.values(), ...vars];
}

function refOf(
  part: Exclude<Value[number], string>,
  secrets: string,
  claimSecret: ClaimSecretOf,
): { name: string; key: string } {
  return "secret" in part
    ? { name: secrets, key: part.secret }
    : { name: claimSecret(part.claimOutput.alias), key: part.claimOutput.key };
}

function textOf(
  value: Value,
  secrets: string,
  claimSecret: ClaimSecretOf,
  helpers: Map<string, EnvVar>,
): string {
  return value
    .map((part) => {
      // A literal `$(` would be expanded by the kubelet: `$$(` is its escape.
      if (typeof part === "string") return part.replaceAll("$(", () => "$$(");
      const ref = refOf(part, secrets, claimSecret);
      const helper = `BERTH_${`${ref.name}_${ref.key}`.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
      helpers.set(helper, { name: helper, valueFrom: { secretKeyRef: ref } });
      return `$(${helper})`;
    })
    .join("");
}
