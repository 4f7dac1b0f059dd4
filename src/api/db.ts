import { BerthError } from "../errors/index.js";
import { didYouMean } from "../manifest/index.js";
import { PROVIDER_IMPLEMENTATIONS } from "../providers/index.js";
import { knownClaims, Servers } from "../runtime/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./context.js";

/** `berth db shell <codebase>[/<alias>]`: the client command for a claim, already authenticated. */
export async function dbShellCommand(
  options: WorkspaceOptions & { target: string },
): Promise<{ command: string; args: string[]; env: Record<string, string> }> {
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home });
  const [name = "", wantedAlias] = options.target.split("/");
  const codebase = workspace.codebases.get(name);
  if (!codebase) {
    throw new BerthError("BERTH_UNKNOWN_CODEBASE", `no codebase is named \`${name}\` in this workspace`, {
      hint:
        didYouMean(name, workspace.codebases.keys()) ??
        `its codebases: ${[...workspace.codebases.keys()].join(", ")}`,
    });
  }
  const claims = knownClaims(new Servers(home), workspace, { codebases: [name] });
  const aliases = [...claims.keys()].map((key) => key.split("#")[1] ?? "");
  const alias = wantedAlias ?? (aliases.length === 1 ? aliases[0] : undefined);
  const found = alias === undefined ? undefined : claims.get(`${name}#${alias}`);
  if (!found) {
    throw new BerthError(
      "BERTH_NO_CLAIM",
      aliases.length === 0
        ? `${name} has no database claim yet`
        : `say which claim of ${name}: ${aliases.map((entry) => `${name}/${entry}`).join(", ")}`,
      {
        hint:
          aliases.length === 0 ? "run `berth up` first: claims are made when the codebase starts" : undefined,
      },
    );
  }
  const exports = PROVIDER_IMPLEMENTATIONS[found.server.kind].exports(found.server, found.claim.grant);
  switch (found.server.kind) {
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
        args: ["-h", "127.0.0.1", "-p", exports.port ?? "", "-n", exports.db ?? "0"],
        env: {},
      };
    case "memcached":
      throw new BerthError("BERTH_NO_SHELL", "memcached has no shell", {
        hint: `its address: ${exports.url}`,
      });
  }
}
