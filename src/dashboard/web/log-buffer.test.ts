import { afterEach, describe, expect, it } from "vitest";
import { DOM_CAP, LogBuffer, MEMORY_CAP, type PageLine } from "./log-buffer.js";

// The page's frames, driven by hand: each call of `frame()` runs what was asked for the next frame.
let frames: (() => void)[] = [];
const globals = globalThis as unknown as {
  requestAnimationFrame: (callback: () => void) => number;
  cancelAnimationFrame: (id: number) => void;
};
globals.requestAnimationFrame = (callback) => frames.push(callback);
globals.cancelAnimationFrame = () => undefined;
function frame(): void {
  const due = frames;
  frames = [];
  for (const callback of due) callback();
}
afterEach(() => {
  frames = [];
});

function line(n: number, stream: PageLine["stream"] = "out"): Omit<PageLine, "key"> {
  return { root: "/w", codebase: "catalog", name: "api", stream, text: `line ${n}`, t: n };
}

const shown = (buffer: LogBuffer) => buffer.chunks.flatMap((chunk) => chunk.lines.map((entry) => entry.text));

describe("the log panel's lines", () => {
  it("adds lines once a frame, however many come", () => {
    let draws = 0;
    const buffer = new LogBuffer(() => draws++);
    for (let n = 0; n < 100; n++) buffer.add(line(n));
    expect(draws).toBe(0);
    frame();
    expect(draws).toBe(1);
    expect(shown(buffer)).toHaveLength(100);
    expect(frames).toHaveLength(0);
  });

  it("under a flood keeps at most MEMORY_CAP lines, shows at most about DOM_CAP, and says what it did not draw", () => {
    const buffer = new LogBuffer(() => undefined);
    for (let second = 0; second < 5; second++) {
      for (let n = 0; n < 10_000; n++) buffer.add(line(second * 10_000 + n));
      frame();
      expect(buffer.shownCount()).toBeLessThanOrEqual(DOM_CAP + 250);
    }
    const texts = shown(buffer);
    expect(texts.at(-1)).toBe("line 49999");
    expect(texts.some((text) => /lines came faster than the page draws/.test(text))).toBe(true);
    // A filter draws again from memory: the newest lines that pass it, up to DOM_CAP.
    buffer.setFilter(() => true);
    expect(buffer.shownCount()).toBe(DOM_CAP);
    expect(shown(buffer).at(0)).toBe(`line ${50_000 - DOM_CAP}`);
    buffer.setFilter((entry) => entry.text === `line ${50_000 - MEMORY_CAP}`);
    expect(shown(buffer)).toEqual([`line ${50_000 - MEMORY_CAP}`]);
    buffer.setFilter((entry) => entry.text === `line ${50_000 - MEMORY_CAP - 251}`);
    expect(shown(buffer)).toEqual([]);
  });

  it("filters new lines as they come (a stream left out stays out)", () => {
    const buffer = new LogBuffer(() => undefined);
    buffer.setFilter((entry) => entry.stream !== "err");
    buffer.add(line(1, "out"));
    buffer.add(line(2, "err"));
    frame();
    expect(shown(buffer)).toEqual(["line 1"]);
  });

  it("keeps the live lines newer than the history read for a new view", () => {
    const buffer = new LogBuffer(() => undefined);
    buffer.clear();
    buffer.add(line(5));
    buffer.add(line(2));
    frame();
    buffer.replace([line(1), line(3)]);
    expect(shown(buffer)).toEqual(["line 1", "line 3", "line 5"]);
  });
});
