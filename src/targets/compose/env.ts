import type { Env, Value } from "../model.js";

/** Where a consumer finds the outputs its codebase claims wrote: one volume per consumer, mounted here. */
export const CLAIMS_DIR = "/berth/claims";

/** How a service's env reaches its container: inline, through its env file, or by its entrypoint wrapper. */
export interface ContainerEnv {
  /** Values with no secret and no claim output: written in the Compose file. */
  environment: Record<string, string>;
  /** Values holding a secret (and the secrets the wrapper needs): written to a 0600 env file. */
  envFile: Record<string, string>;
  /** Shell lines that export the values holding a claim's outputs, read at the container's start. */
  exports: string[];
}

/** Splits a service's env by what its values hold. */
export function containerEnv(
  env: Env,
  consumer: string,
  secretValue: (name: string) => string,
): ContainerEnv {
  const result: ContainerEnv = { environment: {}, envFile: {}, exports: [] };
  for (const [key, value] of Object.entries(env)) {
    const readsClaim = value.some((part) => typeof part !== "string" && "claimOutput" in part);
    if (readsClaim) {
      result.exports.push(`export ${key}=${shellWord(value, consumer)}`);
      for (const part of value)
        if (typeof part !== "string" && "secret" in part)
          result.envFile[`BERTH_SECRET_${part.secret}`] = secretValue(part.secret);
      continue;
    }
    const text = value
      .map((part) => (typeof part === "string" ? part : "secret" in part ? secretValue(part.secret) : ""))
      .join("");
    if (value.every((part) => typeof part === "string")) result.environment[key] = text;
    else result.envFile[key] = text;
  }
  return result;
}

/** The file a codebase claim writes for a consumer (the claim task's $BERTH_OUTPUT). */
export function claimOutputFile(consumer: string, alias: string): string {
  return `${CLAIMS_DIR}/${consumer}/${alias}.out`;
}

/**
 * The entrypoint wrapper of a consumer of codebase claims: it exports the values built from the claims'
 * `key=value` outputs, then runs the service's command (Compose's `command`, passed as "$@").
 */
export function claimWrapper(exports: readonly string[]): string[] {
  const script = [
    "set -eu",
    'berth_output() { [ -f "$1" ] || { echo "berth: $1 is missing: its claim did not run" >&2; exit 1; }; sed -n "s/^$2=//p" "$1" | head -n 1; }',
    ...exports,
    'exec "$@"',
  ].join("\n");
  return ["/bin/sh", "-c", script, "berth-claims"];
}

function shellWord(value: Value, consumer: string): string {
  return value
    .map((part) => {
      if (typeof part === "string") return `'${part.replaceAll("'", "'\\''")}'`;
      if ("secret" in part) return `"$BERTH_SECRET_${part.secret}"`;
      const { alias, key } = part.claimOutput;
      return `"$(berth_output ${claimOutputFile(consumer, alias)} ${key})"`;
    })
    .join("");
}
