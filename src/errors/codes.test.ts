import { describe, expect, it } from "vitest";
import { BerthError, ERROR_CODES, isErrorCode } from "./index.js";

describe("the error code catalogue", () => {
  it("gives every code a one-line meaning", () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^BERTH_[A-Z_]+$/);
      expect(meaning.length, code).toBeGreaterThan(10);
      expect(meaning, code).not.toContain("\n");
    }
  });

  it("is the only source of codes: a code not in it fails the typecheck", () => {
    // @ts-expect-error a typo of BERTH_USAGE is no catalogue code (tsc fails if this line compiled)
    const typo = new BerthError("BERTH_USGAE", "a typo");
    expect(isErrorCode(typo.code)).toBe(false);
    expect(isErrorCode("BERTH_USAGE")).toBe(true);
  });
});
