import { describe, expect, it } from "vitest";
import { highlightPieces, matches, parseSearch } from "./log-search.js";

describe("the log search", () => {
  it("finds plain text in any case, and the server's grep pattern finds the same lines", () => {
    const search = parseSearch("Seeded 30");
    expect(search).toBeTruthy();
    if (!search) return;
    for (const line of ["seeded 30 courses", "SEEDED 30 COURSES", "x Seeded 30"]) {
      expect(matches(search, line)).toBe(true);
      expect(new RegExp(search.grep).test(line)).toBe(true);
    }
    expect(matches(search, "seeded 3 courses")).toBe(false);
    expect(new RegExp(search.grep).test("seeded 3 courses")).toBe(false);
  });

  it("takes characters a pattern would read as operators literally", () => {
    const search = parseSearch("a.b (c)");
    if (!search) throw new Error("no search");
    expect(matches(search, "a.b (c)")).toBe(true);
    expect(matches(search, "axb c")).toBe(false);
    expect(new RegExp(search.grep).test("A.B (C)")).toBe(true);
  });

  it("reads /regex/flags, and says null for an invalid one", () => {
    const search = parseSearch("/GET \\/courses \\d+/");
    if (!search) throw new Error("no search");
    expect(matches(search, "GET /courses 12 200")).toBe(true);
    expect(matches(search, "get /courses 12")).toBe(false);
    expect(matches(parseSearch("/get/i") ?? undefined, "GET")).toBe(true);
    expect(parseSearch("/(/")).toBeNull();
    expect(parseSearch("")).toBeUndefined();
  });

  it("cuts a line into plain and matching pieces, every match marked", () => {
    expect(highlightPieces(parseSearch("ab") ?? undefined, "xabyABz")).toEqual([
      ["x", false],
      ["ab", true],
      ["y", false],
      ["AB", true],
      ["z", false],
    ]);
    expect(highlightPieces(undefined, "plain")).toEqual([["plain", false]]);
    // A pattern that can match nothing does not loop.
    expect(highlightPieces(parseSearch("/x*/") ?? undefined, "abc")).toEqual([["abc", false]]);
  });
});
