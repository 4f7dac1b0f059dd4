import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runModuleScript } from "../../test/helpers/module-script.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A supervisor's first server of a kind: `useTemplate` in a process of its own, whose `create` (initdb's part)
 * takes a while and writes many files, as initdb does.
 */
function firstServer(cacheDir: string, dataDir: string, password: string): Promise<number | null> {
  const script = `
    import { mkdirSync, writeFileSync } from "node:fs";
    import { join } from "node:path";
    import { useTemplate } from ${JSON.stringify(join(import.meta.dirname, "templates.ts"))};
    const [cacheDir, dataDir, password] = ${JSON.stringify([cacheDir, dataDir, password])};
    const got = await useTemplate({ name: "kind@1", cacheDir, dataDir, runAs: undefined, adminPassword: password },
      async (data) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        for (let i = 0; i < 20; i++) {
          mkdirSync(join(data, String(i)));
          for (let j = 0; j < 40; j++) writeFileSync(join(data, String(i), String(j)), "x".repeat(4096));
        }
      });
    writeFileSync(dataDir + ".password", got);`;
  return runModuleScript(script).then(({ code }) => code);
}

describe("server templates", () => {
  it("made by several supervisors at once: each server gets a whole copy, with the template's password", async () => {
    const root = mkdtempSync(join(tmpdir(), "berth-templates-"));
    folders.push(root);
    const cacheDir = join(root, "cache");
    const servers = [0, 1, 2, 3].map((index) => join(root, `server-${index}`));
    const codes = await Promise.all(
      servers.map((dataDir, index) => firstServer(cacheDir, dataDir, `password-${index}`)),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    const template = readFileSync(join(cacheDir, "kind@1", "admin-password"), "utf8");
    for (const dataDir of servers) {
      const files = readdirSync(dataDir, { recursive: true }).filter((name) => String(name).includes("/"));
      expect(files.length, dataDir).toBe(800);
      expect(readFileSync(`${dataDir}.password`, "utf8")).toBe(template);
    }
    expect(readdirSync(cacheDir)).toEqual(["kind@1"]);
  });
});
