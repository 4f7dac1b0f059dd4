import { describe, expect, it } from "vitest";
import { PROVIDER_IMPLEMENTATIONS } from "./implementations.js";
import type { ClaimGrant, GrantRequest } from "./types.js";

function request(overrides: Partial<GrantRequest> = {}): GrantRequest {
  return {
    consumer: "web-app",
    database: undefined,
    previous: undefined,
    others: () => [],
    password: (name) => `kept-for-${name}`,
    secret: () => "fresh",
    ...overrides,
  };
}

describe("each provider kind decides its own grant", () => {
  it("a SQL claim is a database and user named after the consumer or its `database:`, with its kept password", () => {
    for (const provider of [PROVIDER_IMPLEMENTATIONS.postgres, PROVIDER_IMPLEMENTATIONS.mysql]) {
      expect(provider.grant(request())).toEqual({
        database: "web_app",
        user: "web_app",
        password: "kept-for-web_app",
      });
      expect(provider.grant(request({ database: "Shop" })).database).toBe("_hop");
    }
  });

  it("a Redis claim takes the first free db, keeps its own on the same server, and refuses when all 64 are taken", () => {
    const redis = PROVIDER_IMPLEMENTATIONS.redis;
    const taken =
      (...dbs: number[]): (() => ClaimGrant[]) =>
      () =>
        dbs.map((db) => ({ db }));
    expect(redis.grant(request({ others: taken(0, 1, 3) }))).toEqual({
      db: 2,
      user: "web-app-db2",
      password: "fresh",
    });
    expect(redis.grant(request({ previous: { db: 3 }, others: taken(0, 1, 3) })).db).toBe(3);
    const all = taken(...Array.from({ length: 64 }, (_, index) => index));
    expect(() => redis.grant(request({ others: all }))).toThrow(/all 64 Redis databases/);
    expect(redis.describe({ db: 2, user: "web-app-db2" })).toBe("db 2 and its user web-app-db2");
    expect(redis.outdated?.({ db: 1 })).toBe(true);
    expect(redis.outdated?.({ db: 1, user: "web-app-db1" })).toBe(false);
  });

  it("a memcached claim is a key prefix, and it has no shell", () => {
    const memcached = PROVIDER_IMPLEMENTATIONS.memcached;
    expect(memcached.grant(request())).toEqual({ prefix: "web-app:" });
    expect(memcached.describe({ prefix: "web-app:" })).toBe("the keys prefixed web-app:");
    expect(() => memcached.shell({ url: "memcached://127.0.0.1:1" })).toThrow(/has no shell/);
  });
});
