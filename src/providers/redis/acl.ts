import { createHash } from "node:crypto";
import { chownSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClaimGrant, RunAs, ServerInfo } from "../types.js";
import { exchange } from "../wire.js";

/** The account Berth itself uses on its Redis servers; `default` (what an unauthenticated client is) is off. */
export const ADMIN_USER = "berth";

export const aclFile = (dataDir: string) => join(dataDir, "users.acl");

/**
 * Writes the server's ACL file before it starts: `default` off, Berth's admin (its password only as a
 * SHA-256, as Redis keeps it), and the claims' users as the server last saved them.
 */
export function writeAclFile(server: ServerInfo, runAs: RunAs | undefined): void {
  const file = aclFile(server.dataDir);
  let saved = "";
  try {
    saved = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const claims = saved
    .split("\n")
    .filter((line) => line.startsWith("user ") && !/^user (default|berth) /.test(line));
  const hash = createHash("sha256").update(server.adminPassword).digest("hex");
  const lines = [
    "user default off resetkeys resetchannels -@all",
    `user ${ADMIN_USER} on #${hash} ~* &* +@all`,
    ...claims,
  ];
  const content = `${lines.join("\n")}\n`;
  if (content === saved) return;
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  if (runAs) chownSync(temporary, runAs.uid, runAs.gid);
  renameSync(temporary, file);
}

/**
 * A claim's user: every command on its own db index, except what reaches past it. Redis ACLs know keys,
 * channels and commands but not databases, so the db is held by what the user may not run: SELECT of any
 * other index, MOVE and COPY (which take a target db), SWAPDB and FLUSHALL (which touch every db), RESET
 * (which returns the connection to db 0), and the @admin and @dangerous commands (MONITOR, CLIENT LIST,
 * CONFIG, DEBUG, …), of which the few that stay within one db are given back. Pub/Sub channels, scripts'
 * functions and INFO's key counts are the server's, shared by every claim.
 */
export function claimRules(grant: ClaimGrant): string[] {
  return [
    "reset",
    "on",
    `>${grant.password ?? ""}`,
    "~*",
    "&*",
    "+@all",
    "-@admin",
    "-@dangerous",
    ...["+keys", "+flushdb", "+info", "+sort", "+restore", "+role", "+client|setname", "+client|id"],
    "-select",
    `+select|${grant.db ?? 0}`,
    ...["-move", "-copy", "-reset", "-function|flush", "-function|delete", "-function|restore"],
  ];
}

/** Runs commands as Berth's admin user; resolves to their replies, rejects on the first error reply. */
export async function asAdmin(server: ServerInfo, commands: string[][]): Promise<string[]> {
  const all = [["AUTH", ADMIN_USER, server.adminPassword], ...commands];
  const result = await exchange(
    server.port,
    all.map(encode).join(""),
    (reply) => replies(reply).length >= all.length,
  );
  if (!result.ok) throw new Error(`redis did not answer: ${result.detail}`);
  const answers = replies(result.detail);
  const failed = answers.find((answer) => answer.startsWith("-"));
  if (failed) throw new Error(`redis refused: ${failed.slice(1)}`);
  return answers.slice(1);
}

/** RESP: every argument as a bulk string, so passwords and names need no quoting. */
function encode(command: string[]): string {
  return `*${command.length}\r\n${command.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`;
}

/** The one-line replies (+, -, :) in a reply stream: all the commands sent here answer with one. */
function replies(stream: string): string[] {
  return stream.split("\r\n").filter((line) => /^[+\-:]/.test(line));
}
