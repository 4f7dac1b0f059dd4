import { describe, expect, it } from "vitest";
import { installableVersion, matches } from "./constraint.js";

describe("a toolchain constraint as version files write it", () => {
  it.each([
    ["18.20.8", "18", true],
    ["20.1.0", "18", false],
    ["18.20.8", "v18", true],
    ["18.20.8", "^18.0.0", true],
    ["19.0.0", "^18.0.0", false],
    ["18.2.5", "~18.2", true],
    ["18.3.0", "~18.2", false],
    ["18.20.8", "18.x", true],
    ["20.11.0", ">=18 <21", true],
    ["21.0.0", ">=18 <21", false],
    ["20.11.0", "18 || 20", true],
    ["3.11.2", ">=3.10,<3.12", true],
    ["3.12.1", ">=3.10,<3.12", false],
    ["3.11.2", ">= 3.10", true],
    ["3.12.0", "~=3.11", true],
    ["4.0.0", "~=3.11", false],
    ["3.11.7", "==3.11.*", true],
    ["3.11", "3.11", true],
    ["3.12.1", "3.11", false],
    ["22.0.0", "lts/*", true],
  ])("%s satisfies %s: %s", (version, constraint, expected) => {
    expect(matches(version, constraint)).toBe(expected);
  });

  it("asks a version manager for the constraint's first version, none for an upper bound alone", () => {
    expect(installableVersion("^18.2.0")).toBe("18.2.0");
    expect(installableVersion(">=3.10,<3.13")).toBe("3.10");
    expect(installableVersion("<3.13")).toBeUndefined();
    expect(installableVersion("lts/*")).toBeUndefined();
  });
});
