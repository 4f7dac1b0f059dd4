import { describe, expect, it } from "vitest";
import { MessageRing } from "./message-ring.js";

const texts = (buffers: Buffer[]) => buffers.map((buffer) => buffer.toString("utf8"));

describe("MessageRing", () => {
  it("gives back what follows an id, and drops the oldest past its count", () => {
    const ring = new MessageRing(3, 1000);
    for (let id = 1; id <= 5; id++) ring.push(id, `m${id}é`);
    expect(texts(ring.after(0))).toEqual(["m3é", "m4é", "m5é"]);
    expect(texts(ring.after(4))).toEqual(["m5é"]);
    expect(ring.dropped).toBe(2);
  });

  it("wraps around its bytes without giving back a message overwritten", () => {
    const ring = new MessageRing(100, 10);
    const sent: string[] = [];
    for (let id = 1; id <= 40; id++) {
      const text = "x".repeat(1 + (id % 4)) + String(id % 10);
      sent.push(text);
      ring.push(id, text);
      const kept = texts(ring.after(0));
      // Whatever is kept is the newest messages, intact and in order.
      expect(kept).toEqual(sent.slice(sent.length - kept.length));
      expect(kept.length).toBeGreaterThan(0);
      expect(ring.dropped).toBe(id - kept.length);
    }
  });
});
