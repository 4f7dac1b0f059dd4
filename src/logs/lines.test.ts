import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { splitRecords } from "./lines.js";

function records(chunks: string[], maxChars?: number): { seen: string[][]; all: string[] } {
  const stream = new PassThrough();
  const all: string[] = [];
  const seen: string[][] = [];
  splitRecords(
    stream,
    (record) => all.push(record),
    () => {},
    maxChars,
  );
  for (const chunk of chunks) {
    stream.emit("data", chunk);
    seen.push([...all]);
  }
  return { seen, all };
}

describe("splitRecords", () => {
  it("ends records at \\n, \\r\\n and a lone \\r, even when \\r\\n spans two chunks", () => {
    const { all } = records(["a\n\nb\r\nc\r\rprogress 1\rprogress 2\r", "\nd\n"]);
    expect(all).toEqual(["a", "", "b", "c", "progress 1", "progress 2", "d"]);
  });

  it("cuts a line without newline at the size limit while it is still being written", () => {
    const { seen } = records(["x".repeat(25), "y".repeat(10)], 10);
    expect(seen[0]).toEqual(["x".repeat(10), "x".repeat(10)]);
    expect(seen[1]).toEqual(["x".repeat(10), "x".repeat(10), `${"x".repeat(5)}${"y".repeat(5)}`]);
  });

  it("never cuts inside a surrogate pair", () => {
    const { all } = records(["aaa😀b\n"], 4);
    expect(all).toEqual(["aaa", "😀b"]);
  });
});
