import { BerthError } from "../errors/index.js";
import { looksSecret } from "../logs/index.js";
import { isUrlProblem, parseExternalUrl } from "../manifest/index.js";
import type { Codebase } from "../workspace/index.js";

/** What an `external:` requirement exports: url, host, port and its extra keys, rendered. */
export function externalExports(
  codebase: Codebase,
  alias: string,
  field: (path: (string | number)[]) => string,
): Record<string, string> {
  const requirement = codebase.loaded.manifest.requires?.[alias];
  if (requirement === undefined || !("external" in requirement))
    throw new Error(`bug: ${codebase.name}.${alias} is no external`);
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(requirement.external)) {
    values[key] = typeof value === "string" ? field(["requires", alias, "external", key]) : String(value);
  }
  const url = values.url ?? "";
  const address = parseExternalUrl(url);
  if (isUrlProblem(address)) {
    throw new BerthError("BERTH_MANIFEST_INVALID", `\`requires.${alias}.external.url\`: ${address.message}`, {
      location: codebase.loaded.source.locate(["requires", alias, "external", "url"]),
      hint: address.hint,
    });
  }
  return { url, host: address.host, port: String(address.port), ...values };
}

/** The values of an external to hide: extras named like secrets, and the URL's password. */
export function externalSecrets(exports: Record<string, string>): string[] {
  const secrets = Object.entries(exports)
    .filter(([key, value]) => key !== "url" && value !== "" && looksSecret(key))
    .map(([, value]) => value);
  const address = parseExternalUrl(exports.url ?? "");
  if (!isUrlProblem(address) && address.password) secrets.push(address.password);
  return secrets;
}
