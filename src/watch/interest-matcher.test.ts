import { describe, expect, it } from "vitest";
import { globBase, InterestMatcher } from "./interest-matcher.js";

describe("globBase", () => {
  it("finds the static folder of a glob and how deep it reaches", () => {
    expect(globBase("src/**")).toEqual({ base: "src", depth: Number.POSITIVE_INFINITY });
    expect(globBase("migrations/*.py")).toEqual({ base: "migrations", depth: 0 });
    expect(globBase("package-lock.json")).toEqual({
      base: "package-lock.json",
      depth: Number.POSITIVE_INFINITY,
    });
    expect(globBase("**/*.js")).toEqual({ base: "", depth: Number.POSITIVE_INFINITY });
    expect(globBase("src/*/x/*.ts")).toEqual({ base: "src", depth: 2 });
    expect(globBase("*.json")).toEqual({ base: "", depth: 0 });
  });
});

describe("InterestMatcher", () => {
  it("needs the folders on the way to a base and those the glob reaches below it", () => {
    const matcher = new InterestMatcher({ id: "m", globs: ["db/migrations/*.py"] });
    expect(matcher.needsDir("")).toBe(true);
    expect(matcher.needsDir("db")).toBe(true);
    expect(matcher.needsDir("db/migrations")).toBe(true);
    expect(matcher.needsDir("db/migrations/old")).toBe(false);
    expect(matcher.needsDir("src")).toBe(false);
    expect(matcher.wantsFile("db/migrations/0001.py")).toBe(true);
    expect(matcher.wantsFile("db/migrations/old/0001.py")).toBe(false);
  });

  it("takes a glob without magic as that path and what is under it", () => {
    const matcher = new InterestMatcher({ id: "m", globs: ["package-lock.json", "config"] });
    expect(matcher.wantsFile("package-lock.json")).toBe(true);
    expect(matcher.wantsFile("config/a/b.yaml")).toBe(true);
    expect(matcher.needsDir("config/a")).toBe(true);
    expect(matcher.needsDir("src")).toBe(false);
  });

  it("drops files and folders of its ignore globs", () => {
    const matcher = new InterestMatcher({
      id: "m",
      globs: ["src/**"],
      ignore: ["src/generated/**", "**/*.tmp"],
    });
    expect(matcher.wantsFile("src/a.ts")).toBe(true);
    expect(matcher.wantsFile("src/a.tmp")).toBe(false);
    expect(matcher.wantsFile("src/generated/a.ts")).toBe(false);
    expect(matcher.needsDir("src/generated")).toBe(false);
    expect(matcher.needsDir("src/lib")).toBe(true);
  });
});
