import { mkdirSync } from "node:fs";
import { BerthError } from "../errors/index.js";
import { giveTo } from "./run-as.js";
import type { Installation, Provider } from "./types.js";
import { reportedVersion } from "./versions.js";
import { onPath } from "./which.js";
import { exchange } from "./wire.js";

export const memcached: Provider = {
  kind: "memcached",
  holdsData: false,
  program: /^memcached$/,
  describe: (grant) => `the keys prefixed ${grant.prefix}`,
  grant: (request) => ({ prefix: `${request.consumer}:` }),
  shell(exports) {
    throw new BerthError("BERTH_NO_SHELL", "memcached has no shell", { hint: `its address: ${exports.url}` });
  },
  packages: { debian: "memcached", homebrew: "memcached" },
  find(): Installation[] {
    const bin = onPath("memcached");
    const version = bin && reportedVersion(bin, ["-V"], /memcached (\d+\.\d+)/);
    return bin && version ? [{ kind: "memcached", version, bin, source: "PATH" }] : [];
  },
  async initialise(_installation, dataDir, _password, runAs) {
    // memcached keeps nothing on disk; the folder holds its logs' place and is its working folder.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    giveTo(dataDir, runAs);
    return "";
  },
  command(installation, server) {
    return { argv: [installation.bin, "-l", "127.0.0.1", "-p", String(server.port), "-U", "0", "-m", "64"] };
  },
  ping: (server) =>
    exchange(server.port, "version\r\n", (reply) => reply.includes("\r\n")).then((result) => ({
      ok: result.detail.startsWith("VERSION"),
      detail: result.detail,
    })),
  async claim() {},
  // A reset empties the claim's keys only: another codebase's cache is not flushed with it.
  reset: (server, grant) => memcached.drop(server, grant),
  async drop(server, grant) {
    // memcached keeps nothing on disk; the prefix's keys still cached are listed by the LRU crawler and deleted.
    const prefix = grant.prefix ?? "";
    if (prefix === "") return;
    const dump = await exchange(server.port, "lru_crawler metadump all\r\n", (reply) =>
      reply.endsWith("END\r\n"),
    );
    const keys = [...dump.detail.matchAll(/^key=(\S+)/gm)]
      .map((match) => decodeURIComponent(match[1] ?? ""))
      .filter((key) => key.startsWith(prefix));
    if (keys.length === 0) return;
    await exchange(
      server.port,
      keys.map((key) => `delete ${key}\r\n`).join(""),
      (reply) => reply.split("\r\n").length > keys.length,
    );
  },
  exports(server, grant) {
    return {
      url: `memcached://127.0.0.1:${server.port}`,
      host: "127.0.0.1",
      port: String(server.port),
      prefix: grant.prefix ?? "",
    };
  },
};
