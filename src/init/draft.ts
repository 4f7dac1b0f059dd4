import type { ProviderKind } from "../manifest/index.js";

/** What `berth init` found out about a folder, before it is written as YAML. */
export interface Draft {
  name: string;
  /** Where each part of the draft came from, for the file's header comment. */
  detected: string[];
  requires: { alias: string; provider: ProviderKind; envVar: string }[];
  env: { name: string; value: string }[];
  tasks: { name: string; run: string; inputs?: string[]; creates?: string[]; comment?: string }[];
  processes: { name: string; run: string; port?: "auto" | number; ready?: string; comment?: string }[];
}

export function emptyDraft(name: string): Draft {
  return { name, detected: [], requires: [], env: [], tasks: [], processes: [] };
}

/** A valid codebase name from a folder or package name: `@acme/Catalog_API` → `catalog-api`. */
export function codebaseName(raw: string): string {
  const name = raw
    .replace(/^@[^/]+\//, "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
  return name || "app";
}

const ENV_VARS: Record<ProviderKind, string> = {
  postgres: "DATABASE_URL",
  mysql: "DATABASE_URL",
  redis: "REDIS_URL",
  memcached: "MEMCACHED_URL",
};

const ALIASES: Record<ProviderKind, string> = {
  postgres: "db",
  mysql: "db",
  redis: "cache",
  memcached: "memcached",
};

export function addProvider(draft: Draft, provider: ProviderKind): void {
  if (draft.requires.some((entry) => entry.provider === provider)) return;
  const alias = draft.requires.some((entry) => entry.alias === ALIASES[provider])
    ? provider
    : ALIASES[provider];
  const envVar = draft.env.some((entry) => entry.name === ENV_VARS[provider])
    ? `${provider.toUpperCase()}_URL`
    : ENV_VARS[provider];
  draft.requires.push({ alias, provider, envVar });
  draft.env.push({ name: envVar, value: `\${requires.${alias}.url}` });
}
