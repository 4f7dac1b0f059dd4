import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ProbePace, probeOnce } from "./probe.js";

describe("ProbePace", () => {
  it("tries every 5 ms alone, slower as more processes probe, never slower than every 20 ms", () => {
    const pace = new ProbePace();
    const leaves = [pace.enter()];
    expect(pace.delayMs()).toBe(5);
    for (let i = 0; i < 4; i++) leaves.push(pace.enter());
    expect(pace.delayMs()).toBe(10);
    for (let i = 0; i < 45; i++) leaves.push(pace.enter());
    expect(pace.delayMs()).toBe(20);
    for (const leave of leaves.slice(1)) leave();
    leaves[1]?.();
    expect(pace.delayMs()).toBe(5);
  });
});

describe("http probe", () => {
  const target = (port: number) => ({ port, cwd: process.cwd(), env: process.env });

  it("passes on 2xx and 3xx, fails on 5xx with the status, and says refused when nothing listens", async () => {
    let status = 503;
    const server = createServer((_req, res) => {
      res.writeHead(status);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await probeOnce({ http: "/healthz" }, target(port), 1000)).toEqual({
        ok: false,
        detail: "HTTP 503",
      });
      status = 302;
      expect(await probeOnce({ http: "/healthz" }, target(port), 1000)).toEqual({
        ok: true,
        detail: "HTTP 302",
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await probeOnce({ http: "/healthz" }, target(port), 1000)).toEqual({
      ok: false,
      detail: "refused",
    });
  });
});
