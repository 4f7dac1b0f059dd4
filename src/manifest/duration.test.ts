import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads a bare number as seconds and every unit from hours down to milliseconds", () => {
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration(90)).toBe(90_000);
    expect(parseDuration(1.5)).toBe(1500);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("2h0m5s250ms")).toBe(7_205_250);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("0.5s")).toBe(500);
    expect(parseDuration("0")).toBe(0);
  });

  it("refuses anything else instead of guessing", () => {
    for (const text of [
      "",
      "abc",
      "90x",
      "s",
      "5 m",
      " 5m",
      "-5s",
      "1m1m",
      "30m1h",
      "5ms5s",
      "1.s",
      "1e3",
      "Infinity",
    ]) {
      expect(parseDuration(text), text).toBeUndefined();
    }
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
  });
});
