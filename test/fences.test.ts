import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/temp.js";

const root = join(import.meta.dirname, "..");

/**
 * Lints `files` (path → source) with the repo's biome.json in a scratch project: the fences are Biome
 * `noRestrictedImports` overrides, and `biome lint --stdin-file-path` prints no diagnostics, so a folder it is.
 */
function lint(files: Record<string, string>): { status: number | null; output: string } {
  const dir = tempDir("berth-fences-");
  const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
  config.vcs = { enabled: false };
  writeFileSync(join(dir, "biome.json"), JSON.stringify(config));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const result = spawnSync(join(root, "node_modules", ".bin", "biome"), ["lint", "src"], {
    cwd: dir,
    encoding: "utf8",
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

const door = "export const x = 1;\n";

describe("the fences between rooms", () => {
  it("refuse an import against the arrows: processes may not reach up", () => {
    const { status, output } = lint({
      "src/up/index.ts": door,
      "src/processes/probe.ts": 'import { x } from "../up/index.js";\nexport const y = x;\n',
    });
    expect(status).toBe(1);
    expect(output).toContain("noRestrictedImports");
    expect(output).toContain("processes know no workspace, provider or plan");
  });

  it("refuse an import past a room's door, static or dynamic", () => {
    const { status, output } = lint({
      "src/logs/store.ts": door,
      "src/processes/probe.ts":
        'import { x } from "../logs/store.js";\nexport const y = async () => [x, await import("../logs/store.js")];\n',
    });
    expect(status).toBe(1);
    expect(output.match(/reach another room only through its index\.ts door/g)?.length).toBe(2);
  });

  it("refuse the CLI an api helper or the api index (it would load every verb)", () => {
    const { status, output } = lint({
      "src/api/support/options.ts": door,
      "src/api/index.ts": door,
      "src/cli/x.ts":
        'import { x } from "../api/support/options.js";\nexport const y = async () => [x, await import("../api/index.js")];\n',
    });
    expect(status).toBe(1);
    expect(output.match(/the CLI imports api\/<verb>\.js files/g)?.length).toBe(2);
  });

  it("refuse the CLI any room but api and errors, even through a door", () => {
    const { status, output } = lint({
      "src/supervisor/index.ts": door,
      "src/state/index.ts": door,
      "src/cli/x.ts":
        'import { x } from "../supervisor/index.js";\nexport const y = async () => [x, await import("../state/index.js")];\n',
    });
    expect(status).toBe(1);
    expect(output.match(/the CLI imports only api \(and errors\)/g)?.length).toBe(2);
  });

  it("keep the watch room to plain data: no manifest or workspace, and no pure room or the CLI reaching it", () => {
    const { status, output } = lint({
      "src/manifest/index.ts": door,
      "src/workspace/index.ts": door,
      "src/watch/index.ts": door,
      "src/watch/folder-watcher.ts":
        'import { x } from "../manifest/index.js";\nexport const y = async () => [x, await import("../workspace/index.js")];\n',
      "src/graph/x.ts": 'import { x } from "../watch/index.js";\nexport const y = x;\n',
      "src/cli/x.ts": 'export const y = async () => await import("../watch/index.js");\n',
    });
    expect(status).toBe(1);
    expect(output.match(/watch imports only errors and logs/g)?.length).toBe(2);
    expect(output).toContain("graph is pure: errors, manifest and workspace only");
    expect(output).toContain("the CLI imports only api (and errors)");
  });

  it("fence the dashboard: api verbs and doors yes, api helpers and up no; nothing below imports it", () => {
    const { status, output } = lint({
      "src/api/support/options.ts": door,
      "src/up/index.ts": door,
      "src/dashboard/index.ts": door,
      "src/dashboard/x.ts":
        'import { x } from "../api/support/options.js";\nexport const y = async () => [x, await import("../up/index.js")];\n',
      "src/supervisor/x.ts": 'export const y = async () => await import("../dashboard/index.js");\n',
    });
    expect(status).toBe(1);
    expect(output).toContain("the dashboard imports api/<verb>.js files");
    expect(output).toContain("the dashboard acts through api");
    expect(output).toContain("the supervisor sits below api");
  });

  it("let the dashboard import api verbs and the doors it sees through", () => {
    const { status, output } = lint({
      "src/api/restart.ts": door,
      "src/supervisor/index.ts": door,
      "src/processes/index.ts": door,
      "src/dashboard/x.ts":
        'import { x } from "../api/restart.js";\nimport { x as s } from "../supervisor/index.js";\nimport { x as p } from "../processes/index.js";\nexport const y = [x, s, p];\n',
    });
    expect(output).not.toContain("noRestrictedImports");
    expect(status).toBe(0);
  });

  it("keep the targets room to rendering: no runtime room, and its door only", () => {
    const { status, output } = lint({
      "src/state/index.ts": door,
      "src/environment/index.ts": door,
      "src/environment/environment.ts": door,
      "src/targets/x.ts":
        'import { x } from "../state/index.js";\nimport { x as e } from "../environment/environment.js";\nexport const y = [x, e];\n',
      "src/targets/ok.ts": 'import { x } from "../environment/index.js";\nexport const y = x;\n',
    });
    expect(status).toBe(1);
    expect(output).toContain("targets render plain data");
    expect(output).toContain("reach another room only through its index.ts door");
    expect(output).not.toContain("ok.ts");
  });

  it("let through imports along the arrows, through doors", () => {
    const { status, output } = lint({
      "src/errors/index.ts": door,
      "src/logs/index.ts": door,
      "src/api/plan.ts": door,
      "src/watch/index.ts":
        'import { x } from "../errors/index.js";\nimport { x as z } from "../logs/index.js";\nexport const y = [x, z];\n',
      "src/supervisor/reload.ts": 'import { y } from "../watch/index.js";\nexport const w = y;\n',
      "src/processes/probe.ts":
        'import { x } from "../errors/index.js";\nimport { x as z } from "../logs/index.js";\nexport const y = [x, z];\n',
      "src/cli/commands/plan.ts":
        'export const y = async () => [await import("../../api/plan.js"), await import("../../errors/index.js")];\n',
    });
    expect(output).not.toContain("noRestrictedImports");
    expect(status).toBe(0);
  });
});
