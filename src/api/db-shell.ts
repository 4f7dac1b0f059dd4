import { BerthError } from "../errors/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../providers/index.js";
import { claimFor } from "./support/claim-target.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/** `berth db shell <codebase>[/<alias>]`: the client command for a claim, already authenticated. */
export async function dbShellCommand(
  options: WorkspaceOptions & { target: string },
): Promise<{ command: string; args: string[]; env: Record<string, string> }> {
  const { server, grant } = await claimFor(options.root, homeOf(options), options.target);
  const exports = PROVIDER_IMPLEMENTATIONS[server.kind].exports(server, grant);
  switch (server.kind) {
    case "postgres":
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
    case "mysql":
      return {
        command: "mysql",
        args: ["-h", "127.0.0.1", "-P", exports.port ?? "", "-u", exports.user ?? "", exports.database ?? ""],
        env: { MYSQL_PWD: exports.password ?? "" },
      };
    case "redis":
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
    case "memcached":
      throw new BerthError("BERTH_NO_SHELL", "memcached has no shell", {
        hint: `its address: ${exports.url}`,
      });
  }
}
