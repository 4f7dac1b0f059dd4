import { execFile } from "node:child_process";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { BerthError } from "../../errors/index.js";
import { databaseGrant, describeDatabaseGrant } from "../database-grant.js";
import { useTemplate } from "../templates.js";
import type { ClaimGrant, Installation, Provider, ServerInfo } from "../types.js";
import { reportedVersion } from "../versions.js";
import { onPath } from "../which.js";
import { mysqlData } from "./data.js";

const run = promisify(execFile);

function client(): string {
  const found = onPath("mariadb") ?? onPath("mysql");
  if (!found)
    throw new BerthError("BERTH_MYSQL_CLIENT", "no mariadb or mysql client is installed", {
      hint: "install mariadb-client (Debian) or mysql-client (Homebrew)",
    });
  return found;
}

/** Whether something accepts a connection on the unix socket. */
function acceptsConnections(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = connect(path, () => {
      connection.destroy();
      resolve(true);
    });
    connection.once("error", () => resolve(false));
  });
}

/** Runs SQL as the server's admin, over its unix socket (the admin authenticates as the OS user). */
async function sql(server: ServerInfo, statements: string): Promise<string> {
  const { stdout } = await run(
    client(),
    ["--no-defaults", `--socket=${socket(server)}`, "-u", "root", "-N", "-B", "-e", statements],
    { timeout: 10_000 },
  );
  return stdout;
}

const socket = (server: ServerInfo) => join(server.dataDir, "mysqld.sock");
const ident = (name: string) => `\`${name.replace(/`/g, "``")}\``;
const literal = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

export const mysql: Provider = {
  kind: "mysql",
  ...mysqlData,
  program: /^(mariadbd|mysqld)$/,
  lockFile: "mysqld.pid",
  grant: databaseGrant,
  describe: describeDatabaseGrant,
  packages: { debian: "mariadb-server", homebrew: "mariadb" },
  find(): Installation[] {
    const bin = onPath("mariadbd") ?? onPath("mysqld");
    const version = bin && reportedVersion(bin, ["--version"], /Ver (\d+\.\d+)/);
    return bin && version ? [{ kind: "mysql", version, bin, source: "PATH" }] : [];
  },

  async initialise(installation, dataDir, adminPassword, runAs, cacheDir) {
    await useTemplate(
      { name: `mysql-${installation.version}`, cacheDir, dataDir, runAs, adminPassword },
      async (templateData) => {
        const installDb = onPath("mariadb-install-db") ?? onPath("mysql_install_db");
        if (!installDb)
          throw new BerthError("BERTH_MYSQL_INSTALL", "mariadb-install-db is missing", {
            hint: "install mariadb-server",
          });
        const admin = runAs ? "root" : userInfo().username;
        await run(
          installDb,
          [
            "--no-defaults",
            `--datadir=${templateData}`,
            "--auth-root-authentication-method=socket",
            `--auth-root-socket-user=${admin}`,
            "--skip-test-db",
            ...(runAs ? [`--user=${runAs.name}`] : []),
          ],
          { cwd: "/", timeout: 60_000 },
        );
      },
    );
    return "";
  },

  command(installation, server) {
    return {
      argv: [
        installation.bin,
        "--no-defaults",
        `--datadir=${server.dataDir}`,
        `--port=${server.port}`,
        "--bind-address=127.0.0.1",
        `--socket=${socket(server)}`,
        `--pid-file=${join(server.dataDir, "mysqld.pid")}`,
        "--skip-name-resolve",
        "--innodb-buffer-pool-size=64M",
        // 2: the log is written at each commit and flushed once a second; a killed server loses nothing committed.
        "--innodb-flush-log-at-trx-commit=2",
        "--innodb-doublewrite=0",
        "--performance-schema=OFF",
        "--skip-log-bin",
        "--max-connections=100",
      ],
    };
  },

  async ping(server) {
    // A client is a process to spawn; a connection to the socket is tried in-process until one is taken.
    if (!(await acceptsConnections(socket(server))))
      return { ok: false, detail: "not accepting connections yet" };
    try {
      await sql(server, "SELECT 1");
      return { ok: true, detail: "SELECT 1" };
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
      return { ok: false, detail: stderr.split("\n").at(-1) ?? "no answer" };
    }
  },

  async claim(server, grant) {
    const { user = "", password = "", database = "" } = grant;
    await sql(
      server,
      [
        `CREATE DATABASE IF NOT EXISTS ${ident(database)}`,
        `CREATE USER IF NOT EXISTS ${literal(user)}@'127.0.0.1' IDENTIFIED BY ${literal(password)}`,
        `ALTER USER ${literal(user)}@'127.0.0.1' IDENTIFIED BY ${literal(password)}`,
        `GRANT ALL PRIVILEGES ON ${ident(database)}.* TO ${literal(user)}@'127.0.0.1'`,
      ].join(";\n"),
    );
  },

  async reset(server, grant) {
    const database = ident(grant.database ?? "");
    await sql(server, `DROP DATABASE IF EXISTS ${database};\nCREATE DATABASE ${database}`);
  },

  async drop(server, grant) {
    await sql(
      server,
      `DROP DATABASE IF EXISTS ${ident(grant.database ?? "")};\nDROP USER IF EXISTS ${literal(grant.user ?? "")}@'127.0.0.1'`,
    );
  },

  exports(server, grant: ClaimGrant) {
    const { user = "", password = "", database = "" } = grant;
    return {
      url: `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${database}`,
      host: "127.0.0.1",
      port: String(server.port),
      user,
      password,
      database,
    };
  },
};
