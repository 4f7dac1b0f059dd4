import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { exposureOf, exposureSettled, holdExposureLooks } from "./exposure.js";

/** A real process, in its own group, listening on every address. */
async function exposedProcess(): Promise<{ group: number; port: number; stop(): void }> {
  const script =
    'const s = require("node:net").createServer().listen(0, "0.0.0.0", () => console.log(s.address().port))';
  const child = spawn(process.execPath, ["-e", script], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once("data", (data) => resolve(Number(data))),
  );
  return { group: child.pid ?? 0, port, stop: () => child.kill("SIGKILL") };
}

describe("exposure looks", () => {
  it("wait for the end of an up that holds them, then tell what listens beyond loopback", async () => {
    const exposed = await exposedProcess();
    try {
      const release = holdExposureLooks();
      let told: string[] | undefined;
      void exposureOf(exposed.group, "no-marker").then((addresses) => (told = addresses));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(told).toBeUndefined();
      release();
      await exposureSettled();
      expect(told).toEqual([`0.0.0.0:${exposed.port}`]);
    } finally {
      exposed.stop();
    }
  });

  it("are taken on their own when nothing holds them", async () => {
    const exposed = await exposedProcess();
    try {
      expect(await exposureOf(exposed.group, "no-marker")).toEqual([`0.0.0.0:${exposed.port}`]);
    } finally {
      exposed.stop();
    }
  });
});
