import { toolToFile } from "../dump-tools.js";
import type { ClaimData, Provider } from "../types.js";
import { pgInvocation, pgRun } from "./tools.js";

/** A PostgreSQL claim's data: dumped with pg_dump, loaded with pg_restore, opened with psql. */
export const postgresData = {
  holdsData: true,
  dumpFile: "dump.pgcustom",

  async dump({ server, grant }: ClaimData, file: string, signal?: AbortSignal) {
    const { command, connection, env } = pgInvocation(server, grant, "pg_dump");
    // Compression level 1: within a few per cent of the default's size, in three quarters of its time.
    await toolToFile(command, [...connection, "-Fc", "-Z1", grant.database ?? ""], env, file, signal);
  },

  async restore({ server, grant }: ClaimData, file: string) {
    await pgRun(server, grant, "pg_restore", [
      "--no-owner",
      "--role",
      grant.user ?? "",
      "-d",
      grant.database ?? "",
      "--exit-on-error",
      file,
    ]);
  },

  async isEmpty({ server, grant }: ClaimData) {
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
  },

  shell(exports: Record<string, string>) {
    return {
      command: "psql",
      args: [],
      env: {
        PGHOST: "127.0.0.1",
        PGPORT: exports.port ?? "",
        PGUSER: exports.user ?? "",
        PGPASSWORD: exports.password ?? "",
        PGDATABASE: exports.database ?? "",
      },
    };
  },

  async schema({ server, grant }: ClaimData) {
    const dump = await pgRun(server, grant, "pg_dump", [
      "--schema-only",
      "--no-owner",
      "--no-privileges",
      grant.database ?? "",
    ]);
    return dump
      .split("\n")
      .filter((line) => !/^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )/.test(line));
  },
} satisfies Partial<Provider>;
