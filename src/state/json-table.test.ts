import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JsonTable } from "./json-table.js";
import { writeJsonFile } from "./private-file.js";

const homes: string[] = [];
const home = () => {
  const dir = mkdtempSync(join(tmpdir(), "berth-table-"));
  homes.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("JsonTable", () => {
  it("sees what another process wrote (a new file renamed into place) and what was edited in place", () => {
    const dir = home();
    const table = new JsonTable<number>(dir, "t.json");
    table.set("a", 1);
    expect(table.all()).toEqual({ a: 1 });
    writeJsonFile(join(dir, "t.json"), { a: 2 });
    expect(table.get("a")).toBe(2);
    // Same size, edited where it is: its times tell.
    const file = join(dir, "t.json");
    writeFileSync(file, readFileSync(file, "utf8").replace("2", "3"));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(table.get("a")).toBe(3);
    rmSync(file);
    expect(table.all()).toEqual({});
  });

  it("shares one frozen copy between readers; an update changes a copy, never what was handed out", () => {
    const dir = home();
    const one = new JsonTable<{ n: number }>(dir, "t.json");
    const two = new JsonTable<{ n: number }>(dir, "t.json");
    one.set("a", { n: 1 });
    const before = one.all();
    expect(two.all()).toBe(before);
    expect(() => {
      (before.a as { n: number }).n = 5;
    }).toThrow(TypeError);
    two.update((table) => {
      table.b = { n: 2 };
    });
    expect(before).toEqual({ a: { n: 1 } });
    expect(one.all()).toEqual({ a: { n: 1 }, b: { n: 2 } });
  });
});
