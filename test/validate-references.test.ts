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
    expect(result).toSucceed();
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

  it("warns, positioned, about env_file and secret-named env values too short to be masked", () => {
    const dir = writeTree({
      "web/berth.yaml":
        "name: web\nenv_file: .env\nenv:\n  DB_PASSWORD: abc\n  API_TOKEN: long-enough\n  MODE: dev\n  SESSION_KEY: ${env.HOME}\n",
      "web/.env": "# local\nDB_PASS=123\nADMIN_PASSWORD=hunter2\n  export EMPTY_PASS=\nDEBUG=1\n",
    });
    const home = join(tempDir(), "state");
    const result = berth(["validate"], { cwd: join(dir, "web"), home });
    expect(result).toSucceed();
    expect(result.stderr).toContain(
      "warning .env:2:1 DB_PASS in env_file is 3 characters long, too short to be masked: it will show in output and logs",
    );
    expect(result.stderr).toContain(
      "warning berth.yaml:4:16 env DB_PASSWORD is 3 characters long, too short to be masked",
    );
    // An env_file value not named like a secret is masked where it is long enough, but not worth a warning.
    expect(result.stderr).not.toContain("DEBUG");
    expect(result.stderr).toContain("hint: Berth masks only secrets of 4 characters or more");
    const json = JSON.parse(berth(["validate", "--json"], { cwd: join(dir, "web"), home }).stdout);
    expect(json.warnings.map((warning: { code: string; location: unknown }) => warning.location)).toEqual([
      { file: join(dir, "web", ".env"), line: 2, col: 1 },
      { file: join(dir, "web", "berth.yaml"), line: 4, col: 16 },
    ]);
    expect(
      json.warnings.every((warning: { code: string }) => warning.code === "BERTH_SECRET_TOO_SHORT"),
    ).toBe(true);
  });
});
