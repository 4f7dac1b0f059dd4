import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freePort, outgoingRange } from "./ports.js";

const listening: Server[] = [];
afterEach(() => {
  for (const server of listening.splice(0)) server.close();
});

function listen(port: number): Promise<void> {
  return new Promise((resolve) => {
    const server = createServer();
    listening.push(server);
    server.listen(port, "127.0.0.1", resolve);
  });
}

describe("freePort", () => {
  it("chooses below the range outgoing connections take their local ports from, never the same port twice", async () => {
    const [outgoingLow] = outgoingRange();
    const ports = [];
    for (let i = 0; i < 200; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(200);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(outgoingLow);
    }
  });

  it("passes over the ports kept for others and the ports something listens on", async () => {
    const [outgoingLow] = outgoingRange();
    const open = [20_000, 20_001, 20_002, 20_003];
    const kept = [];
    for (let port = 20_004; port < outgoingLow; port++) kept.push(port);
    await listen(20_000);
    await listen(20_002);
    // A fresh module: none of the ports the other test was handed.
    vi.resetModules();
    const fresh = await import("./ports.js");
    const chosen = [await fresh.freePort(kept), await fresh.freePort(kept)].sort();
    expect(chosen).toEqual([open[1], open[3]]);
  });
});
