import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { unknownNameError } from "../manifest/index.js";
import { knownClaims, PROVIDER_IMPLEMENTATIONS, Servers } from "../providers/index.js";
import { mysqlRun, pgRun } from "../snapshots/index.js";
import { resolveWorkspace } from "../workspace/index.js";
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

/**
 * `berth db schema <codebase>/<alias>`: the claim's schema in a stable, diff-friendly form: no data, no
 * owners or privileges, no comments, settings or other lines that differ between two equal databases.
 */
export async function dbSchema(options: WorkspaceOptions & { target: string }): Promise<string> {
  const home = homeOf(options);
  const { server, grant } = await claimFor(options.root, home, options.target);
  if (server.kind === "postgres") {
    const dump = await pgRun(server, grant, "pg_dump", [
      "--schema-only",
      "--no-owner",
      "--no-privileges",
      grant.database ?? "",
    ]);
    return stable(
      dump
        .split("\n")
        .filter((line) => !/^(--|SET |SELECT pg_catalog\.set_config|\\(un)?restrict )/.test(line)),
    );
  }
  if (server.kind === "mysql") {
    const dump = await mysqlRun(server, grant, "dump", [
      "--no-data",
      "--skip-comments",
      "--skip-add-drop-table",
      grant.database ?? "",
    ]);
    return stable(
      dump
        .split("\n")
        .filter((line) => !/^\/\*!\d+ .*\*\/;$/.test(line))
        .map((line) => line.replace(/ AUTO_INCREMENT=\d+/, "")),
    );
  }
  throw new BerthError("BERTH_NO_SCHEMA", `${server.kind} has no schema`, {
    hint: "schemas are for postgres and mysql claims",
  });
}

/** `berth db diff`: the live schema against a reference file; a readable unified diff, empty when they match. */
export async function dbDiff(
  options: WorkspaceOptions & { target: string; reference: string },
): Promise<string> {
  if (!existsSync(options.reference))
    throw new BerthError("BERTH_FILE_MISSING", `${options.reference} does not exist`, {
      hint: "write one with `berth db schema <codebase>/<alias> --out <file>`",
    });
  const live = await dbSchema(options);
  const folder = mkdtempSync(join(tmpdir(), "berth-schema-"));
  try {
    const current = join(folder, "live.sql");
    writeFileSync(current, live);
    const result = spawnSync(
      "diff",
      ["-u", "--label", options.reference, "--label", `${options.target} (live)`, options.reference, current],
      { encoding: "utf8" },
    );
    if (result.status === 0) return "";
    if (result.status === 1) return result.stdout;
    throw new BerthError("BERTH_TOOL_FAILED", `diff failed: ${result.stderr || result.error?.message}`, {
      hint: "install diffutils",
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function stable(lines: string[]): string {
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}

async function claimFor(root: string, home: string, target: string) {
  const workspace = await resolveWorkspace({ root, home });
  const [name = "", alias] = target.split("/");
  if (!workspace.codebases.has(name))
    throw unknownNameError({ what: "codebase", name, known: workspace.codebases.keys() });
  const requires = workspace.dependencies.filter((dependency) => dependency.from === name);
  const declared = requires.flatMap((dependency) =>
    dependency.target.kind === "provider" && dependency.target.provider !== "memcached"
      ? [dependency.alias]
      : [],
  );
  if (declared.length === 0) {
    const listed = requires.map(({ alias, target }) =>
      target.kind === "provider" ? `${alias} (${target.provider})` : `${alias} (codebase ${target.name})`,
    );
    throw new BerthError("BERTH_NO_CLAIM", `${name} has no database claims`, {
      hint:
        listed.length > 0
          ? `its requires: ${listed.join(", ")}; a database claim is a postgres, mysql or redis requirement`
          : `${name} requires nothing; a database claim is a postgres, mysql or redis requirement`,
    });
  }
  if (alias !== undefined && !declared.includes(alias))
    throw unknownNameError({
      what: "database claim",
      name: alias,
      known: declared,
      within: `codebase ${name}`,
      code: "BERTH_UNKNOWN_CLAIM",
    });
  const chosen = alias ?? (declared.length === 1 ? declared[0] : undefined);
  if (chosen === undefined)
    throw new BerthError("BERTH_USAGE", `${name} has ${declared.length} database claims; say which`, {
      hint: `one of ${declared.map((entry) => `${name}/${entry}`).join(", ")}`,
    });
  const found = knownClaims(new Servers(home), workspace, { codebases: [name] }).get(`${name}#${chosen}`);
  if (!found)
    throw new BerthError("BERTH_NO_CLAIM", `${name}/${chosen} is not claimed yet`, {
      hint: "run `berth up` first: claims are made when the codebase starts",
    });
  return { server: found.server, grant: found.claim.grant };
}
