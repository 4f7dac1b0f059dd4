import { readFileSync, writeFileSync } from "node:fs";
import { BerthError } from "../../errors/index.js";
import type { ClaimData, ClaimGrant, GrantRequest, Provider } from "../types.js";

/** A Redis claim: its own db index and ACL user; its keys dumped with SCAN/DUMP, loaded with RESTORE. */
export const redisData = {
  holdsData: true,
  dumpFile: "dump.redis.jsonl",

  grant(request: GrantRequest): ClaimGrant {
    const taken = new Set(request.others().map((grant) => grant.db));
    const db = Array.from({ length: 64 }, (_, index) => index).find((index) => !taken.has(index));
    if (db === undefined)
      throw new BerthError("BERTH_REDIS_FULL", "all 64 Redis databases of this state folder are claimed", {
        hint: "`berth destroy <codebase> --yes` frees a codebase's claims (deleting its data)",
      });
    const chosen = request.previous?.db ?? db;
    return { db: chosen, user: `${request.consumer}-db${chosen}`, password: request.secret() };
  },

  describe: (grant: ClaimGrant) => `db ${grant.db} and its user ${grant.user}`,

  /** A claim made before claims had their own users gets one now. */
  outdated: (grant: ClaimGrant) => grant.user === undefined,

  async dump({ server, grant }: ClaimData, file: string) {
    const client = await redisClient(server.port, grant);
    await client.connect();
    try {
      const lines: string[] = [];
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "COUNT", 1000);
        cursor = next;
        for (const key of keys) {
          const payload = await client.dumpBuffer(key);
          const ttl = await client.pttl(key);
          if (payload)
            lines.push(
              JSON.stringify({
                key: Buffer.from(key).toString("base64"),
                ttl: Math.max(ttl, 0),
                value: payload.toString("base64"),
              }),
            );
        }
      } while (cursor !== "0");
      writeFileSync(file, lines.sort().join("\n") + (lines.length > 0 ? "\n" : ""), { mode: 0o600 });
    } finally {
      client.disconnect();
    }
  },

  async restore({ server, grant }: ClaimData, file: string) {
    const client = await redisClient(server.port, grant);
    await client.connect();
    try {
      for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
        const { key, ttl, value } = redisRecord(line);
        await client.restore(Buffer.from(key, "base64"), ttl, Buffer.from(value, "base64"), "REPLACE");
      }
    } finally {
      client.disconnect();
    }
  },

  shell(exports: Record<string, string>) {
    return {
      command: "redis-cli",
      args: [
        "-h",
        "127.0.0.1",
        "-p",
        exports.port ?? "",
        "--user",
        exports.user ?? "",
        "-n",
        exports.db ?? "0",
      ],
      env: { REDISCLI_AUTH: exports.password ?? "" },
    };
  },
} satisfies Partial<Provider>;

/** One line of a Redis dump file; from an archive, so checked. */
function redisRecord(line: string): { key: string; ttl: number; value: string } {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    record = undefined;
  }
  const { key, ttl, value } = (record ?? {}) as Record<string, unknown>;
  if (typeof key !== "string" || typeof value !== "string" || typeof ttl !== "number" || ttl < 0)
    throw new BerthError("BERTH_SNAPSHOT_CORRUPT", "a Redis dump line is not a key, a ttl and a value", {
      hint: "the dump was not made by `berth snapshot save`",
    });
  return { key, ttl, value };
}

/** A client of the claim's db, loaded on first use. ioredis is CommonJS: its class is `Redis` under Node, `default` in the bundle. */
async function redisClient(port: number, grant: ClaimGrant) {
  const module = await import("ioredis");
  const Redis =
    (module as { Redis?: typeof module.Redis }).Redis ?? (module.default as unknown as typeof module.Redis);
  return new Redis({
    host: "127.0.0.1",
    port,
    db: grant.db ?? 0,
    username: grant.user ?? "",
    password: grant.password ?? "",
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
}
