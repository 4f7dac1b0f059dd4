import { describe, expect, it } from "vitest";
import { cpuSeconds, exposedIn } from "./ps.js";

// The formats of the two `ps` and of `lsof` that Linux alone cannot show: macOS writes them so.
describe("reading ps and lsof as macOS and procps write them", () => {
  it("CPU time: procps [dd-]hh:mm:ss and BSD m:ss.cc", () => {
    expect(cpuSeconds("00:01:39")).toBe(99);
    expect(cpuSeconds("2-01:00:00")).toBe(2 * 86_400 + 3600);
    expect(cpuSeconds("0:01.23")).toBeCloseTo(1.23);
    expect(cpuSeconds("12:34.50")).toBeCloseTo(754.5);
  });

  it("lsof -Fpn: wildcard and addressed sockets beyond loopback, each once, loopback left out", () => {
    const out = [
      "p501",
      "f5",
      "n*:4100",
      "f6",
      "n*:4100",
      "p502",
      "f7",
      "n127.0.0.1:5432",
      "f8",
      "n[::1]:5432",
    ];
    out.push("p503", "f3", "n[::]:5173", "f4", "n192.168.1.20:8080", "f5", "n[::ffff:127.0.0.1]:80");
    expect(exposedIn(out.join("\n"))).toEqual([
      { pid: 501, address: "0.0.0.0:4100" },
      { pid: 503, address: "[::]:5173" },
      { pid: 503, address: "192.168.1.20:8080" },
    ]);
  });
});
