import { describe, expect, it } from "vitest";
import { runtimeWorkspace } from "./helpers/runtime.js";

describe("a snapshot name that names nothing", () => {
  it("is an error worded as every unknown name, with a did-you-mean", () => {
    const { run } = runtimeWorkspace({ "web/berth.yaml": 'name: web\ntasks:\n  seed: { run: "true" }\n' });
    const none = run(["snapshot", "restore", "base", "--yes"]);
    expect(none.stderr).toContain("error no snapshot is named `base` in this state folder");
    expect(none.stderr).toContain("hint: `berth snapshot save <name>` makes one");
    expect(none.code).toBe(1);
    expect(run(["snapshot", "save", "base"])).toSucceed();
    // Said before asking whether to go on: an unknown name is not a question.
    for (const args of [
      ["restore", "bsae", "--yes"],
      ["restore", "bsae"],
      ["rm", "bsae"],
    ]) {
      const typo = run(["snapshot", ...args]);
      expect(typo.stderr).toContain("error no snapshot is named `bsae` in this state folder");
      expect(typo.stderr).toContain("hint: did you mean `base`?");
      expect(typo.code).toBe(1);
    }
    const other = run(["snapshot", "restore", "nosuch", "--yes"]);
    expect(other.stderr).toContain("hint: this state folder has: base");
  });
});
