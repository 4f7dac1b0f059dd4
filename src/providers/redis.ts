import { mkdirSync } from "node:fs";
import { giveTo } from "./run-as.js";
import type { Installation, Provider } from "./types.js";
import { reportedVersion } from "./versions.js";
import { onPath } from "./which.js";
import { exchange } from "./wire.js";

export const redis: Provider = {
  kind: "redis",
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
      ],
    };
  },
  ping: (server) =>
    exchange(server.port, "PING\r\n", (reply) => reply.includes("\r\n")).then((result) => ({
      ok: result.detail === "+PONG",
      detail: result.detail,
    })),
  async claim() {},
  async reset(server, grant) {
    const result = await exchange(
      server.port,
      `SELECT ${grant.db ?? 0}\r\nFLUSHDB\r\n`,
      (reply) => reply.split("\r\n").length > 2,
    );
    if (!result.ok || !result.detail.endsWith("+OK"))
      throw new Error(`redis FLUSHDB failed: ${result.detail}`);
  },
  exports(server, grant) {
    return {
      url: `redis://127.0.0.1:${server.port}/${grant.db ?? 0}`,
      host: "127.0.0.1",
      port: String(server.port),
      db: String(grant.db ?? 0),
    };
  },
};
