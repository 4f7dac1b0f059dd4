import { existsSync } from "node:fs";
import { tool } from "../dump-tools.js";
import type { ClaimData, ClaimGrant } from "../types.js";

/** The host's MariaDB/MySQL dump tool or client. */
export function mysqlTool(which: "dump" | "client"): string {
  const candidates =
    which === "dump"
      ? ["/usr/bin/mariadb-dump", "/usr/bin/mysqldump"]
      : ["/usr/bin/mariadb", "/usr/bin/mysql"];
  return candidates.find((candidate) => existsSync(candidate)) ?? (which === "dump" ? "mysqldump" : "mysql");
}

/** The MariaDB/MySQL dump tool or client with what connects it as the claim's user. */
export function mysqlInvocation(server: ClaimData["server"], grant: ClaimGrant, which: "dump" | "client") {
  return {
    command: mysqlTool(which),
    connection: ["--no-defaults", "-h", "127.0.0.1", "-P", String(server.port), "-u", grant.user ?? ""],
    env: { MYSQL_PWD: grant.password ?? "" },
  };
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
