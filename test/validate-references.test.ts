import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { berth } from "./helpers/cli.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

describe("berth validate and references", () => {
  it("warns, positioned, about an ${env.X} that is not set, and still exits 0", () => {
    const dir = writeTree({
      "web/berth.yaml": "name: web\nenv:\n  HOME_DIR: ${env.HOME}\n  SEARCH: ${env.BERTH_TEST_UNSET_VAR}\n",
    });
    const home = join(tempDir(), "state");
    const result = berth(["validate"], { cwd: join(dir, "web"), home });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "warning berth.yaml:4:11 ${env.BERTH_TEST_UNSET_VAR} is used by web but BERTH_TEST_UNSET_VAR is not set",
    );
    expect(result.stderr).not.toContain("env.HOME}");
    const json = JSON.parse(berth(["validate", "--json"], { cwd: join(dir, "web"), home }).stdout);
    expect(json.warnings).toEqual([
      expect.objectContaining({
        code: "BERTH_ENV_UNSET",
        location: { file: join(dir, "web", "berth.yaml"), line: 4, col: 11 },
      }),
    ]);
  });

  it("a misspelt namespace fails validate with a did-you-mean", () => {
    const dir = writeTree({ "web/berth.yaml": "name: web\nenv:\n  URL: ${require.db.url}\n" });
    const result = berth(["validate"], { cwd: join(dir, "web"), home: join(tempDir(), "state") });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("berth.yaml:3:8 `${require.db.url}` is not a reference");
    expect(result.stderr).toContain("did you mean `${requires.db.url}`?");
  });
});
