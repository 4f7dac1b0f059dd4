import { toolToFile } from "../dump-tools.js";
import type { ClaimData, Provider, RestorePlan } from "../types.js";
import { sandboxed } from "./sandbox.js";
import { mysqlInvocation, mysqlRun, mysqlTool } from "./tools.js";

/** A MariaDB/MySQL claim's data: dumped with mariadb-dump, loaded with the sandboxed client. */
export const mysqlData = {
  holdsData: true,
  dumpFile: "dump.sql",

  async dump({ server, grant }: ClaimData, file: string, signal?: AbortSignal) {
    const { command, connection, env } = mysqlInvocation(server, grant, "dump");
    const options = ["--single-transaction", "--routines", "--triggers"];
    await toolToFile(command, [...connection, ...options, grant.database ?? ""], env, file, signal);
  },

  restorePlan: () => ({ flags: sandboxed(mysqlTool("client")) }),

  async restore({ server, grant }: ClaimData, file: string, plan: RestorePlan) {
    // A dump is untrusted (it may come from an archive): the client runs none of its commands.
    await mysqlRun(server, grant, "client", [...plan.flags, grant.database ?? ""], file);
  },

  async isEmpty({ server, grant }: ClaimData) {
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
  },

  shell(exports: Record<string, string>) {
    return {
      command: "mysql",
      args: ["-h", "127.0.0.1", "-P", exports.port ?? "", "-u", exports.user ?? "", exports.database ?? ""],
      env: { MYSQL_PWD: exports.password ?? "" },
    };
  },

  async schema({ server, grant }: ClaimData) {
    const dump = await mysqlRun(server, grant, "dump", [
      "--no-data",
      "--skip-comments",
      "--skip-add-drop-table",
      grant.database ?? "",
    ]);
    return dump
      .split("\n")
      .filter((line) => !/^\/\*!\d+ .*\*\/;$/.test(line))
      .map((line) => line.replace(/ AUTO_INCREMENT=\d+/, ""));
  },
} satisfies Partial<Provider>;
