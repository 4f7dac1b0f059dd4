import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { type ClaimGrant, PROVIDER_IMPLEMENTATIONS, type ServerInfo } from "../providers/index.js";
import { sandboxed } from "./mysql-sandbox.js";
import { sha256File } from "./store.js";

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

/**
 * Writes the claim's data to `file`; resolves to the file's SHA-256, or to undefined for a kind with
 * nothing worth keeping (memcached).
 */
export async function dumpClaim(
  data: ClaimData,
  file: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const { server, grant } = data;
  const exports = PROVIDER_IMPLEMENTATIONS[server.kind].exports(server, grant);
  switch (server.kind) {
    case "postgres": {
      const { command, connection, env } = pgInvocation(server, grant, "pg_dump");
      // Compression level 1: within a few per cent of the default's size, in three quarters of its time.
      return toolToFile(command, [...connection, "-Fc", "-Z1", grant.database ?? ""], env, file, signal);
    }
    case "mysql": {
      const { command, connection, env } = mysqlInvocation(server, grant, "dump");
      const options = ["--single-transaction", "--routines", "--triggers"];
      return toolToFile(command, [...connection, ...options, grant.database ?? ""], env, file, signal);
    }
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
        const text = lines.sort().join("\n") + (lines.length > 0 ? "\n" : "");
        writeFileSync(file, text, { mode: 0o600 });
        return createHash("sha256").update(text).digest("hex");
      } finally {
        client.disconnect();
      }
    }
    case "memcached":
      return undefined;
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

/**
 * Checks, before any data is dropped, that the claim's dump can be loaded safely: resolves to what
 * `restoreClaim` needs (a MariaDB client that takes --sandbox).
 */
export function restorePlan(data: ClaimData): { flags: string[] } {
  return { flags: data.server.kind === "mysql" ? sandboxed(mysqlTool("client")) : [] };
}

/** Replaces the claim's data with the dump's: the claimed data is dropped and recreated first. */
export async function restoreClaim(data: ClaimData, file: string, plan = restorePlan(data)): Promise<void> {
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
      // A dump is untrusted (it may come from an archive): the client runs none of its commands.
      await mysqlRun(server, grant, "client", [...plan.flags, grant.database ?? ""], file);
      return;
    case "redis": {
      const client = await redisClient(provider.exports(server, grant).url ?? "");
      await client.connect();
      try {
        for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
          const { key, ttl, value } = redisRecord(line);
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

/** Runs a dump or restore tool; its stderr becomes the error. The file `input` is its stdin. */
export async function tool(
  command: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<string> {
  const stdin = input ? openSync(input, "r") : "ignore";
  let child: ChildProcess;
  try {
    child = spawn(command, args, { env: { ...process.env, ...env }, stdio: [stdin, "pipe", "pipe"] });
  } finally {
    if (typeof stdin === "number") closeSync(stdin);
  }
  const stdout: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
  await succeeded(child, command);
  return Buffer.concat(stdout).toString();
}

/**
 * Runs a dump tool whose standard output is `file` itself, then resolves to the file's SHA-256. The data
 * goes from the tool to the file with no copy through this process: passing it through (to hash it on
 * the way) cost the supervisor more CPU than reading the file back from the page cache once.
 */
export async function toolToFile(
  command: string,
  args: string[],
  env: Record<string, string>,
  file: string,
  signal?: AbortSignal,
): Promise<string> {
  const output = openSync(file, "w", 0o600);
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", output, "pipe"],
      ...(signal ? { signal } : {}),
    });
  } finally {
    closeSync(output);
  }
  await succeeded(child, command);
  return sha256File(file);
}

/** Resolves when the tool exited with 0; else rejects with the end of its stderr. */
function succeeded(child: ChildProcess, command: string): Promise<void> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once("error", (error) =>
      reject(
        error.name === "AbortError"
          ? new BerthError("BERTH_CANCELLED", `${command} was stopped: the command was cancelled`)
          : new BerthError("BERTH_TOOL_MISSING", `cannot run ${command}: ${error.message}`, {
              hint: "install the database's client tools (postgresql-client, mariadb-client)",
            }),
      ),
    );
    child.once("close", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new BerthError("BERTH_TOOL_FAILED", `${command} exited with code ${code}: ${lastError(stderr)}`, {
            hint: "is the database running? `berth up` starts it",
          }),
        );
    });
  });
}

/** The tool's own words: its last line that says ERROR (the lines after are context), else its last lines. */
function lastError(stderr: string): string {
  const lines = stderr.trim().split("\n");
  const errors = lines.filter((line) => /\berror\b/i.test(line));
  return errors.length > 0 ? (errors.at(-1) ?? "") : lines.slice(-3).join(" / ");
}

/** Runs one of the server's own PostgreSQL tools, connected and authenticated as the claim's user. */
export function pgRun(
  server: ClaimData["server"],
  grant: ClaimGrant,
  name: string,
  args: string[],
): Promise<string> {
  const { command, connection, env } = pgInvocation(server, grant, name);
  return tool(command, [...connection, ...args], env);
}

/** Runs the MariaDB/MySQL dump tool or client, connected and authenticated as the claim's user. */
export function mysqlRun(
  server: ClaimData["server"],
  grant: ClaimGrant,
  which: "dump" | "client",
  args: string[],
  input?: string,
): Promise<string> {
  const { command, connection, env } = mysqlInvocation(server, grant, which);
  return tool(command, [...connection, ...args], env, input);
}

/** A PostgreSQL tool with what connects it as the claim's user. */
function pgInvocation(server: ClaimData["server"], grant: ClaimGrant, name: string) {
  return {
    command: pgTool(server.bin, name),
    connection: ["-h", "127.0.0.1", "-p", String(server.port), "-U", grant.user ?? ""],
    env: { PGPASSWORD: grant.password ?? "" },
  };
}

/** The MariaDB/MySQL dump tool or client with what connects it as the claim's user. */
function mysqlInvocation(server: ClaimData["server"], grant: ClaimGrant, which: "dump" | "client") {
  return {
    command: mysqlTool(which),
    connection: ["--no-defaults", "-h", "127.0.0.1", "-P", String(server.port), "-u", grant.user ?? ""],
    env: { MYSQL_PWD: grant.password ?? "" },
  };
}

/** A Redis client, loaded on first use. ioredis is CommonJS: its class is `Redis` under Node, `default` in the bundle. */
async function redisClient(url: string) {
  const module = await import("ioredis");
  const Redis =
    (module as { Redis?: typeof module.Redis }).Redis ?? (module.default as unknown as typeof module.Redis);
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
}
