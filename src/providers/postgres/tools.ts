import { existsSync } from "node:fs";
import { join } from "node:path";
import { tool } from "../dump-tools.js";
import type { ClaimData, ClaimGrant } from "../types.js";

/** The server's own PostgreSQL tool (dumps must be at least the server's version), else PATH's. */
export function pgTool(serverBin: string, name: string): string {
  return existsSync(join(serverBin, name)) ? join(serverBin, name) : name;
}

/** A PostgreSQL tool with what connects it as the claim's user. */
export function pgInvocation(server: ClaimData["server"], grant: ClaimGrant, name: string) {
  return {
    command: pgTool(server.bin, name),
    connection: ["-h", "127.0.0.1", "-p", String(server.port), "-U", grant.user ?? ""],
    env: { PGPASSWORD: grant.password ?? "" },
  };
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
