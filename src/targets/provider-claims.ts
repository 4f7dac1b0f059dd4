import type { ProviderKind } from "../manifest/index.js";
import type { Workspace } from "../workspace/index.js";
import type { ProviderModel, Value } from "./model.js";
import { dnsName, providerImage, secretName } from "./names.js";

/** A secret reference as the environment renders it (see ValueTokens). */
export type SecretToken = (name: string) => string;

/**
 * The provider services of the planned codebases, one per kind and version, with each claim's database,
 * user and password secret, and its exports for the network. `split` turns rendered text into a Value.
 */
export function providerModels(
  workspace: Workspace,
  planned: ReadonlySet<string>,
  secret: SecretToken,
  split: (text: string) => Value,
): ProviderModel[] {
  const providers = new Map<string, ProviderModel>();
  const adminSecret = (service: string) => {
    const name = secretName(service, "admin");
    secret(name); // made known to the model's secrets; no value of it is interpolated anywhere
    return name;
  };
  for (const { from, alias, target } of workspace.dependencies) {
    if (target.kind !== "provider" || !planned.has(from)) continue;
    const image = providerImage(target.provider, target.version);
    const service = dnsName(target.provider === "mysql" ? "mariadb" : target.provider, image.version);
    let provider = providers.get(service);
    if (!provider) {
      provider = {
        kind: target.provider,
        version: image.version,
        image: image.image,
        service,
        port: image.port,
        ...(target.provider === "memcached" ? {} : { adminPasswordSecret: adminSecret(service) }),
        step: `server:${target.provider}${target.version ? `@${target.version}` : ""}`,
        claims: [],
      };
      providers.set(service, provider);
    }
    const step = `claim:${from}/${alias}`;
    const host = service;
    const port = String(image.port);
    if (target.provider === "memcached") {
      const prefix = `${from}:`;
      provider.claims.push({
        consumer: from,
        alias,
        step,
        prefix,
        exports: plain({ url: `memcached://${host}:${port}`, host, port, prefix }),
      });
      continue;
    }
    const passwordSecret = secretName(from, alias, "password");
    const password = secret(passwordSecret);
    if (target.provider === "redis") {
      const db = provider.claims.length;
      const user = `${from}-db${db}`;
      const url = `redis://${encodeURIComponent(user)}:${password}@${host}:${port}/${db}`;
      provider.claims.push({
        consumer: from,
        alias,
        step,
        db,
        user,
        passwordSecret,
        exports: {
          ...plain({ host, port, db: String(db), user }),
          url: split(url),
          password: split(password),
        },
      });
      continue;
    }
    const database = target.database ?? from.replace(/-/g, "_");
    const user = database;
    const url = `${scheme(target.provider)}://${encodeURIComponent(user)}:${password}@${host}:${port}/${database}`;
    provider.claims.push({
      consumer: from,
      alias,
      step,
      database,
      user,
      passwordSecret,
      exports: { ...plain({ host, port, user, database }), url: split(url), password: split(password) },
    });
  }
  return [...providers.values()].sort((a, b) => a.service.localeCompare(b.service));
}

function scheme(kind: ProviderKind): string {
  return kind === "postgres" ? "postgres" : "mysql";
}

function plain(values: Record<string, string>): Record<string, Value> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, [value]]));
}
