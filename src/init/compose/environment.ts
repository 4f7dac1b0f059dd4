import { PROVIDER_EXPORTS } from "../../manifest/index.js";
import { findHosts, type HostIndex, type HostUse } from "./hosts.js";
import type { CodebaseDraft } from "./model.js";

/** How a draft reaches another service: through a requirement alias (or, for its own processes, directly). */
export interface ServiceTarget {
  alias: string | undefined;
  host: string;
  port?: string;
  provider?: boolean;
}

export interface RewrittenEnvironment {
  env: Map<string, string>;
  rewrites: { key: string; from: string; to: string }[];
  dropped: string[];
  notes: string[];
  /** Host names replaced by references. */
  rewritten: number;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_KEY = /(HOST|HOSTNAME|SERVER|SERVERS|ADDR|ADDRESS|URL|URI)$/i;

/**
 * A service's environment for its draft: values kept, `${` escaped for Berth, hosts of other services
 * replaced by `${requires.<alias>.host}` (and `host:port` by host and port), a variable Compose takes from
 * the environment (`- NAME`) read as `${env.NAME}`; and beside a rewritten `<X>_HOST`, `<X>_PORT`,
 * `<X>_USER`, `<X>_PASSWORD` and `<X>_NAME` take the provider's values.
 */
export function rewriteEnvironment(
  environment: Record<string, string | null>,
  index: HostIndex,
  resolve: (service: string) => ServiceTarget | undefined,
  draft: CodebaseDraft,
): RewrittenEnvironment {
  const result: RewrittenEnvironment = { env: new Map(), rewrites: [], dropped: [], notes: [], rewritten: 0 };
  const hostKeys = new Map<string, ServiceTarget>();
  for (const [key, value] of Object.entries(environment)) {
    if (!ENV_NAME.test(key)) {
      result.dropped.push(`environment.${key} (not a variable name a shell can hold)`);
      continue;
    }
    if (value === null) {
      result.env.set(key, `\${env.${key}}`);
      continue;
    }
    const uses = findHosts(value, index, HOST_KEY.test(key));
    const providerUrl = wholeProviderUrl(value, uses, resolve, draft);
    if (providerUrl !== undefined) {
      result.env.set(key, providerUrl);
      result.rewrites.push({ key, from: value, to: providerUrl });
      result.rewritten++;
      continue;
    }
    let text = "";
    let at = 0;
    for (const use of uses) {
      const target = resolve(use.service);
      if (target === undefined) {
        result.notes.push(
          `${key} names ${use.service}, which this codebase cannot require (a cycle); kept as written`,
        );
        continue;
      }
      text += escapeLiteral(value.slice(at, use.start));
      text +=
        use.port !== undefined && target.port !== undefined
          ? `${target.host}:${target.port}`
          : value.slice(use.start, use.end).replace(/^[^:]+/, target.host);
      at = use.end;
      result.rewritten++;
      if (use.start === 0 && use.end === value.length && target.alias !== undefined) {
        const prefix = key.replace(/(HOST|HOSTNAME)$/i, "");
        if (prefix !== key) hostKeys.set(prefix, target);
      }
    }
    text += escapeLiteral(value.slice(at));
    if (text !== escapeLiteral(value)) result.rewrites.push({ key, from: value, to: text });
    result.env.set(key, text);
  }
  for (const [prefix, target] of hostKeys) rewriteSiblings(prefix, target, environment, result, draft);
  return result;
}

/** `$${` is how a manifest writes a literal `${`; `${env.NAME}` is a reference the import made. */
function escapeLiteral(text: string): string {
  return text.replace(/\$\{(?!env\.[A-Za-z_][A-Za-z0-9_]*\})/g, () => "$${");
}

function rewriteSiblings(
  prefix: string,
  target: ServiceTarget,
  environment: Record<string, string | null>,
  result: RewrittenEnvironment,
  draft: CodebaseDraft,
): void {
  const alias = target.alias as string;
  const requirement = draft.requires.get(alias);
  const exported: readonly string[] =
    requirement?.kind === "provider" ? PROVIDER_EXPORTS[requirement.provider] : ["host", "port"];
  const set = (key: string, to: string) => {
    const from = environment[key];
    if (typeof from !== "string" || from.includes("${")) return;
    result.env.set(key, to);
    result.rewrites.push({ key, from, to });
  };
  for (const [suffix, exportName] of [
    ["PORT", "port"],
    ["USER", "user"],
    ["PASSWORD", "password"],
  ] as const) {
    if (!exported.includes(exportName)) continue;
    if (exportName === "port" && target.port === undefined) continue;
    set(
      `${prefix}${suffix}`,
      exportName === "port" ? (target.port as string) : `\${requires.${alias}.${exportName}}`,
    );
  }
  const name = environment[`${prefix}NAME`];
  if (requirement?.kind === "provider" && exported.includes("database") && typeof name === "string") {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) return;
    if (requirement.database !== undefined && requirement.database !== name) {
      result.notes.push(
        `${prefix}NAME asks for database ${name} of ${alias}, but this codebase's claim is already ${requirement.database}`,
      );
      return;
    }
    requirement.database = name;
    set(`${prefix}NAME`, `\${requires.${alias}.database}`);
  }
}

const PROVIDER_SCHEMES: Record<string, string[]> = {
  postgres: ["postgres", "postgresql"],
  mysql: ["mysql", "mariadb", "mysql2"],
  redis: ["redis", "rediss"],
  memcached: ["memcached", "memcache"],
};

/**
 * A whole URL of a provider's own scheme (`redis://:pw@cache:6379/0`, `postgres://u:p@db/shop`) is the
 * claim's `${requires.<alias>.url}`: its user, password and database are the claim's, not the container's.
 * The database it names becomes the claim's `database`.
 */
function wholeProviderUrl(
  value: string,
  uses: HostUse[],
  resolve: (service: string) => ServiceTarget | undefined,
  draft: CodebaseDraft,
): string | undefined {
  const [use] = uses;
  if (use === undefined || uses.length > 1) return undefined;
  const match = /^([a-z0-9+]+):\/\/(?:[^@/\s]*@)?[^/\s]+(?:\/([^?#\s]*))?(?:\?[^\s]*)?$/i.exec(value);
  if (!match) return undefined;
  const target = resolve(use.service);
  const requirement = target?.alias === undefined ? undefined : draft.requires.get(target.alias);
  if (requirement?.kind !== "provider") return undefined;
  if (!PROVIDER_SCHEMES[requirement.provider]?.includes((match[1] ?? "").toLowerCase())) return undefined;
  const database = match[2] ?? "";
  if (PROVIDER_KINDS_WITH_DATABASE.has(requirement.provider) && /^[a-z_][a-z0-9_]*$/.test(database))
    requirement.database ??= database;
  return `\${requires.${target?.alias}.url}`;
}

const PROVIDER_KINDS_WITH_DATABASE = new Set(["postgres", "mysql"]);
