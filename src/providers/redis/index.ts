import { mkdirSync } from "node:fs";
import { giveTo } from "../run-as.js";
import type { Installation, Provider } from "../types.js";
import { reportedVersion } from "../versions.js";
import { onPath } from "../which.js";
import { aclFile, asAdmin, claimRules, writeAclFile } from "./acl.js";
import { redisData } from "./data.js";

export const redis: Provider = {
  kind: "redis",
  ...redisData,
  program: /^redis-server$/,
  packages: { debian: "redis-server", homebrew: "redis" },
  find(): Installation[] {
    const bin = onPath("redis-server");
    const version = bin && reportedVersion(bin, ["--version"], /v=(\d+)\./);
    return bin && version ? [{ kind: "redis", version, bin, source: "PATH" }] : [];
  },
  async initialise(_installation, dataDir, _password, runAs) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    giveTo(dataDir, runAs);
    return "";
  },
  prepare: writeAclFile,
  command(installation, server) {
    // hz 100: a SIGTERM is served in milliseconds instead of ~100 ms.
    return {
      argv: [
        installation.bin,
        "--port",
        String(server.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        server.dataDir,
        "--save",
        "60 1",
        "--appendonly",
        "no",
        "--hz",
        "100",
        "--databases",
        "64",
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
        "--aclfile",
        aclFile(server.dataDir),
      ],
    };
  },
  async ping(server) {
    try {
      const [pong] = await asAdmin(server, [["PING"]]);
      return { ok: pong === "+PONG", detail: pong ?? "no answer" };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  },
  async claim(server, grant) {
    await asAdmin(server, [
      ["ACL", "SETUSER", grant.user ?? "", ...claimRules(grant)],
      ["ACL", "SAVE"],
    ]);
  },
  async reset(server, grant) {
    await asAdmin(server, [["SELECT", String(grant.db ?? 0)], ["FLUSHDB"]]);
  },
  async drop(server, grant) {
    await asAdmin(server, [
      ["SELECT", String(grant.db ?? 0)],
      ["FLUSHDB"],
      ["ACL", "DELUSER", grant.user ?? ""],
      ["ACL", "SAVE"],
    ]);
  },
  exports(server, grant) {
    const user = grant.user ?? "";
    const password = grant.password ?? "";
    return {
      url: `redis://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${grant.db ?? 0}`,
      host: "127.0.0.1",
      port: String(server.port),
      db: String(grant.db ?? 0),
      user,
      password,
    };
  },
};
