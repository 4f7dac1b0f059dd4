import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GitCache } from "./git-cache.js";

describe("GitCache", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it("stops a clone that hangs as soon as its signal aborts", async () => {
    // A git server that accepts the connection and never answers: the clone waits forever.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const home = mkdtempSync(join(tmpdir(), "berth-git-cache-"));
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
      rmSync(home, { recursive: true, force: true });
    });

    const abort = new AbortController();
    const resolving = new GitCache(home, abort.signal).resolve(`git://127.0.0.1:${port}/app.git`, "main");
    resolving.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    const asked = Date.now();
    abort.abort();
    await expect(resolving).rejects.toMatchObject({ code: "BERTH_CANCELLED" });
    expect(Date.now() - asked).toBeLessThan(2_000);
  });
});
