import { getEventListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp.js";
import { followLogs } from "./follow.js";

describe("followLogs", () => {
  it("holds one abort listener at most however long it polls (no listener per poll)", async () => {
    const controller = new AbortController();
    const owners = [{ codebase: "web", logsDir: tempDir() }];
    const following = followLogs(owners, { targets: [] }, () => {}, controller.signal, 1);
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      await sleep(5);
      counts.push(getEventListeners(controller.signal, "abort").length);
    }
    controller.abort();
    await following;
    expect(Math.max(...counts)).toBeLessThanOrEqual(1);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
