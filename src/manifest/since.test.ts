import { describe, expect, it } from "vitest";
import { sinceToEpoch } from "./since.js";

describe("sinceToEpoch", () => {
  it("takes the durations of the manifest and --timeout, days, or a date", () => {
    const now = 10_000_000_000;
    expect(sinceToEpoch("1h30m", now)).toBe(now - 5_400_000);
    expect(sinceToEpoch("90", now)).toBe(now - 90_000);
    expect(sinceToEpoch("2d", now)).toBe(now - 172_800_000);
    expect(sinceToEpoch("2026-11-25T10:00:00Z", now)).toBe(Date.parse("2026-11-25T10:00:00Z"));
    expect(sinceToEpoch("soon", now)).toBeUndefined();
  });
});
