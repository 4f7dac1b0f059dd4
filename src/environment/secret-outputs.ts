import { looksSecret } from "../logs/index.js";
import type { Manifest } from "../manifest/index.js";

/** The outputs of a claim task that are secret: by name (pass, secret, token, key) or marked `secret: true`. */
export function secretClaimOutputs(manifest: Manifest): string[] {
  return (manifest.tasks?.claim?.outputs ?? []).flatMap((output) => {
    const name = typeof output === "string" ? output : output.name;
    return looksSecret(name) || (typeof output === "object" && output.secret === true) ? [name] : [];
  });
}
