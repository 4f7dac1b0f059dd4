import { BerthError } from "../errors/index.js";
import { isUrlProblem, parseExternalUrl } from "./external-url.js";
import type { TextPosition } from "./fields.js";
import { referencesIn, type TemplatePart } from "./interpolation.js";
import { type Manifest, PROBE_KINDS } from "./schema.js";
import type { YamlPath, YamlSource } from "./source.js";

const EXTRA_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** What every external exports from its URL: an extra key of the same name could never be read. */
export const EXTERNAL_EXPORTS = ["url", "host", "port"] as const;

/** Rules of `external:` requirements the schema's shape cannot say. */
export function checkExternals(manifest: Manifest, source: YamlSource): BerthError[] {
  const errors: BerthError[] = [];
  const invalid = (message: string, path: (string | number)[], hint: string, key = false) =>
    errors.push(
      new BerthError("BERTH_MANIFEST_INVALID", message, { location: source.locate(path, { key }), hint }),
    );
  for (const [alias, requirement] of Object.entries(manifest.requires ?? {})) {
    if (!("external" in requirement)) continue;
    const at = ["requires", alias];
    const url = requirement.external.url;
    // A reference stands for a value only known where the manifest is used: checked then, not now.
    const problem = parseExternalUrl(url.replace(/\$\{[^}]*\}/g, "1"));
    if (isUrlProblem(problem) && !(url.includes("${") && problem.message.includes("is not a URL"))) {
      invalid(
        `\`requires.${alias}.external.url\`: ${problem.message}`,
        [...at, "external", "url"],
        problem.hint,
      );
    }
    for (const key of Object.keys(requirement.external)) {
      if (key === "url") continue;
      if ((EXTERNAL_EXPORTS as readonly string[]).includes(key)) {
        invalid(
          `\`${key}\` of an external comes from its url; it cannot be declared`,
          [...at, "external", key],
          `remove \`${key}:\`; write it in the url instead`,
          true,
        );
      } else if (!EXTRA_KEY.test(key)) {
        invalid(
          `\`${key}\` is not a valid name: an external's key is letters, digits, _ and -, starting with a letter`,
          [...at, "external", key],
          "rename it; it is read as ${requires.<alias>.<key>}",
          true,
        );
      }
    }
    const ready = requirement.ready;
    if (ready === undefined) continue;
    if (ready.log !== undefined) {
      invalid(
        `an external has no output to read: \`requires.${alias}.ready\` cannot use \`log\``,
        [...at, "ready", "log"],
        "use http (a path on its url), tcp: true or exec (a command), or no ready for ready at once",
        true,
      );
      continue;
    }
    const kinds = PROBE_KINDS.filter((kind) => ready[kind] !== undefined);
    if (kinds.length !== 1) {
      invalid(
        kinds.length === 0
          ? `\`requires.${alias}.ready\` says no probe`
          : `\`requires.${alias}.ready\` has ${kinds.length} probes (${kinds.join(", ")}); it takes exactly one`,
        [...at, "ready"],
        "use one of http, tcp, exec",
      );
    }
  }
  return errors;
}

/**
 * An external's values take only the user's environment and development secrets: they are known before
 * anything runs, and a `${requires.…}` there could read the external itself.
 */
export function externalReferenceErrors(
  parts: TemplatePart[],
  position: TextPosition,
  path: YamlPath,
): BerthError[] {
  if (path[0] !== "requires") return [];
  return referencesIn(parts)
    .filter((part) => part.ref.kind !== "env" && part.ref.kind !== "secret")
    .map(
      (part) =>
        new BerthError("BERTH_INTERPOLATION", `${part.text}: an external's values cannot read it`, {
          location: position.locate(part.offset, part.text),
          hint: "use ${env.<VARIABLE>} or ${secret.<name>} here; an exec probe also gets $BERTH_EXTERNAL_URL, _HOST, _PORT and one variable per extra key",
        }),
    );
}
