import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { BerthError, type Location } from "../errors/index.js";
import { looksSecret, MIN_SECRET_LENGTH } from "../logs/index.js";
import type { Codebase } from "../workspace/index.js";

const HINT = `Berth masks only secrets of ${MIN_SECRET_LENGTH} characters or more (shorter ones are too likely to be ordinary words); use a longer value, or \`\${secret.<name>}\` for one Berth makes`;

/**
 * Secrets too short to be masked, which would show in logs and output: `env_file` values and literal
 * `env` values named like secrets (a short `DEBUG=1` in an env_file is no secret worth a warning).
 */
export function shortSecretWarnings(codebase: Codebase): BerthError[] {
  const { manifest, source, fields, envFileValues, dir } = codebase.loaded;
  const warnings: BerthError[] = [];
  const warn = (what: string, value: string, location: Location) =>
    warnings.push(
      new BerthError(
        "BERTH_SECRET_TOO_SHORT",
        `${what} is ${value.length} character${value.length === 1 ? "" : "s"} long, too short to be masked: it will show in output and logs`,
        { location, hint: HINT },
      ),
    );

  if (manifest.env_file !== undefined) {
    const file = resolve(dir, manifest.env_file);
    const lines = readFileSync(file, "utf8").split("\n");
    for (const [key, value] of Object.entries(envFileValues)) {
      if (!looksSecret(key) || !isShort(value)) continue;
      warn(`${key} in env_file`, value, keyLocation(file, lines, key));
    }
  }

  for (const [key, value] of Object.entries(manifest.env ?? {})) {
    if (!looksSecret(key)) continue;
    const literal = typeof value === "string" ? literalOf(fields, key) : String(value);
    if (literal !== undefined && isShort(literal)) warn(`env ${key}`, literal, source.locate(["env", key]));
  }
  return warnings;
}

function isShort(value: string): boolean {
  return value.length > 0 && value.length < MIN_SECRET_LENGTH;
}

/** The value of an `env` field without references; one with references is known only at `up`. */
function literalOf(fields: Codebase["loaded"]["fields"], key: string): string | undefined {
  const field = fields.find(
    (candidate) => candidate.path.length === 2 && candidate.path[0] === "env" && candidate.path[1] === key,
  );
  if (!field || field.parts.some((part) => typeof part !== "string")) return undefined;
  return field.parts.join("");
}

/** Where the last line setting `key` is (the one that wins), at the key. */
function keyLocation(file: string, lines: readonly string[], key: string): Location {
  const setting = new RegExp(`^(\\s*(?:export\\s+)?)${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`);
  for (let index = lines.length - 1; index >= 0; index--) {
    const match = setting.exec(lines[index] ?? "");
    if (match) return { file, line: index + 1, col: (match[1]?.length ?? 0) + 1 };
  }
  return { file, line: 1, col: 1 };
}
