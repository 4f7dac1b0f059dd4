import { BerthError, type Location } from "../../errors/index.js";

/** What a `${...}` reads: the environment, then the project's `.env`. */
export type Variables = (name: string) => string | undefined;

export interface InterpolationResult {
  value: string;
  /** Variables read but set nowhere (Compose warns and uses ""). */
  unset: string[];
}

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const PATTERN = new RegExp(
  `\\$(?:(\\$)|(${NAME})|\\{(${NAME})(?:(:?[-?+])((?:[^{}]|\\{[^{}]*\\})*))?\\}|(\\{[^}]*\\}?))`,
  "g",
);

/**
 * Compose's interpolation: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+other}`, `${VAR+other}`, and `$$` for a literal `$`.
 */
export function interpolate(
  text: string,
  variables: Variables,
  where: Location,
  /** Whether a plain `${VAR}` becomes `${env.VAR}`, read when Berth runs (environment values of the host's variables). */
  later?: (name: string) => boolean,
): InterpolationResult {
  const unset: string[] = [];
  const value = text.replace(
    PATTERN,
    (
      _match,
      dollar?: string,
      bare?: string,
      name?: string,
      operator?: string,
      argument?: string,
      bad?: string,
    ) => {
      if (dollar !== undefined) return "$";
      if (bad !== undefined) {
        throw new BerthError("BERTH_IMPORT_INVALID", `\`$${bad}\` is not a variable Compose can read`, {
          location: where,
          hint: "write ${NAME}, ${NAME:-default} or ${NAME-default}; write $$ for a literal $",
        });
      }
      const variable = (bare ?? name) as string;
      const found = variables(variable);
      if (operator === undefined) {
        if (later?.(variable)) return `\${env.${variable}}`;
        if (found === undefined) unset.push(variable);
        return found ?? "";
      }
      const nested = interpolate(argument ?? "", variables, where);
      unset.push(...nested.unset);
      const emptyCounts = operator.startsWith(":");
      const missing = found === undefined || (emptyCounts && found === "");
      switch (operator.at(-1)) {
        case "-":
          return missing ? nested.value : (found as string);
        case "+":
          return missing ? "" : nested.value;
        default:
          if (missing) {
            throw new BerthError(
              "BERTH_IMPORT_VARIABLE",
              `${variable} must be set: ${nested.value || `the Compose file requires ${variable}`}`,
              {
                location: where,
                hint: `set it in the environment or in the .env file beside the Compose file`,
              },
            );
          }
          return found as string;
      }
    },
  );
  return { value, unset };
}
