import { spawn } from "node:child_process";
import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { BerthError } from "../errors/index.js";
import { type ClaimGrant, PROVIDER_IMPLEMENTATIONS, type ServerInfo } from "../providers/index.js";

/** A claim's data, dumped with the server's own tools into one file, and loaded back from it. */
export interface ClaimData {
  server: ServerInfo & { bin: string };
  grant: ClaimGrant;
}

export function dumpFileName(kind: string): string {
  return kind === "postgres"
    ? "dump.pgcustom"
    : kind === "mysql"
      ? "dump.sql"
      : kind === "redis"
        ? "dump.redis.jsonl"
        : "none";
}

/** Writes the claim's data to `file`; resolves to false for a kind with nothing worth keeping (memcached). */
export async function dumpClaim(data: ClaimData, file: string): Promise<boolean> {
  const { server, grant } = data;
  const exports = PROVIDER_IMPLEMENTATIONS[server.kind].exports(server, grant);
  switch (server.kind) {
    case "postgres":
      await pgRun(server, grant, "pg_dump", ["-Fc", "-f", file, grant.database ?? ""]);
      return true;
    case "mysql":
      await mysqlRun(server, grant, "dump", [
        "--single-transaction",
        "--routines",
        "--triggers",
        `--result-file=${file}`,
        grant.database ?? "",
      ]);
      return true;
    case "redis": {
      const client = await redisClient(exports.url ?? "");
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
      return true;
    }
    case "memcached":
      return false;
  }
}

/** Whether the claimed data is empty (no tables, no keys): where a migrate baseline is loaded. */
export async function isEmpty(data: ClaimData): Promise<boolean> {
  const { server, grant } = data;
  if (server.kind === "postgres") {
    const pg = (await import("pg")).default;
    const client = new pg.Client({
      host: "127.0.0.1",
      port: server.port,
      user: grant.user,
      password: grant.password,
      database: grant.database,
    });
    await client.connect();
    try {
      const result = await client.query(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
      );
      return result.rows[0]?.n === 0;
    } finally {
      await client.end();
    }
  }
  if (server.kind === "mysql") {
    const mysql = await import("mysql2/promise");
    const connection = await mysql.createConnection({
      host: "127.0.0.1",
      port: server.port,
      user: grant.user,
      password: grant.password,
      database: grant.database,
    });
    try {
      const [rows] = await connection.query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()",
      );
      return (rows as { n: number }[])[0]?.n === 0;
    } finally {
      await connection.end();
    }
  }
  return true;
}

/** Replaces the claim's data with the dump's: the claimed data is dropped and recreated first. */
export async function restoreClaim(data: ClaimData, file: string): Promise<void> {
  const { server, grant } = data;
  const provider = PROVIDER_IMPLEMENTATIONS[server.kind];
  await provider.reset(server, grant);
  switch (server.kind) {
    case "postgres":
      await pgRun(server, grant, "pg_restore", [
        "--no-owner",
        "--role",
        grant.user ?? "",
        "-d",
        grant.database ?? "",
        "--exit-on-error",
        file,
      ]);
      return;
    case "mysql":
      await mysqlRun(server, grant, "client", [grant.database ?? ""], file);
      return;
    case "redis": {
      const client = await redisClient(provider.exports(server, grant).url ?? "");
      await client.connect();
      try {
        for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
          const { key, ttl, value } = JSON.parse(line) as { key: string; ttl: number; value: string };
          await client.restore(Buffer.from(key, "base64"), ttl, Buffer.from(value, "base64"), "REPLACE");
        }
      } finally {
        client.disconnect();
      }
      return;
    }
    case "memcached":
      return;
  }
}

/** The server's own PostgreSQL tool (dumps must be at least the server's version), else PATH's. */
export function pgTool(serverBin: string, name: string): string {
  return existsSync(join(serverBin, name)) ? join(serverBin, name) : name;
}

function mysqlTool(which: "dump" | "client"): string {
  const candidates =
    which === "dump"
      ? ["/usr/bin/mariadb-dump", "/usr/bin/mysqldump"]
      : ["/usr/bin/mariadb", "/usr/bin/mysql"];
  return candidates.find((candidate) => existsSync(candidate)) ?? (which === "dump" ? "mysqldump" : "mysql");
}

/** Runs a dump or restore tool; its stderr becomes the error. `input` is fed to its stdin. */
export function tool(
  command: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: [input ? "pipe" : "ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    if (input && child.stdin) void pipeline(createReadStream(input), child.stdin).catch(() => {});
    child.once("error", (error) =>
      reject(
        new BerthError("BERTH_TOOL_MISSING", `cannot run ${command}: ${error.message}`, {
          hint: "install the database's client tools (postgresql-client, mariadb-client)",
        }),
      ),
    );
    child.once("close", (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString());
      else
        reject(
          new BerthError(
            "BERTH_TOOL_FAILED",
            `${command} exited with code ${code}: ${stderr.trim().split("\n").slice(-3).join(" / ")}`,
            { hint: "is the database running? `berth up` starts it" },
          ),
        );
    });
  });
}

/** Runs one of the server's own PostgreSQL tools, connected and authenticated as the claim's user. */
export function pgRun(
  server: ClaimData["server"],
  grant: ClaimGrant,
  name: string,
  args: string[],
): Promise<string> {
  const connection = ["-h", "127.0.0.1", "-p", String(server.port), "-U", grant.user ?? ""];
  return tool(pgTool(server.bin, name), [...connection, ...args], { PGPASSWORD: grant.password ?? "" });
}

/** Runs the MariaDB/MySQL dump tool or client, connected and authenticated as the claim's user. */
export function mysqlRun(
  server: ClaimData["server"],
  grant: ClaimGrant,
  which: "dump" | "client",
  args: string[],
  input?: string,
): Promise<string> {
  const connection = ["--no-defaults", "-h", "127.0.0.1", "-P", String(server.port), "-u", grant.user ?? ""];
  return tool(mysqlTool(which), [...connection, ...args], { MYSQL_PWD: grant.password ?? "" }, input);
}

/** A Redis client, loaded on first use. ioredis is CommonJS: its class is `Redis` under Node, `default` in the bundle. */
async function redisClient(url: string) {
  const module = await import("ioredis");
  const Redis =
    (module as { Redis?: typeof module.Redis }).Redis ?? (module.default as unknown as typeof module.Redis);
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
}
