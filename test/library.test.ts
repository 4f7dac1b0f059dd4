import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { down, up, validate } from "../src/index.js";
import { programs } from "./helpers/runtime.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

describe("the library API", () => {
  it("validates, brings a workspace up and down from code", async () => {
    const dir = writeTree({
      "web/berth.yaml": `name: web\nenv:\n  PORT: \${processes.site.port}\nprocesses:\n  site: { run: node ${programs}/server.js, port: auto, ready: { http: / } }\n`,
    });
    const home = join(tempDir(), "state");
    const root = join(dir, "web");
    expect((await validate({ root, home })).manifests.map((manifest) => manifest.name)).toEqual(["web"]);
    const events: string[] = [];
    const result = await up({
      root,
      home,
      trustAll: true,
      onEvent: (event) => event.type === "step" && events.push(`${event.step} ${event.state}`),
    });
    expect(result.ok).toBe(true);
    expect(events).toContain("ready:web/site done");
    expect(await down({ root, home, all: true })).toEqual(expect.objectContaining({ stopped: ["web/site"] }));
  });
});
