import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { reportedVersion } from "./versions.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A server binary that reports `version` and counts how often it was asked. */
function fakeServer(dir: string, version: string): string {
  const binary = join(dir, "server");
  writeFileSync(binary, `#!/bin/sh\necho x >> "${dir}/asked"\necho "server ${version}"\n`);
  chmodSync(binary, 0o755);
  return binary;
}

test("a binary's version is asked once, and again once the binary is replaced", () => {
  const dir = mkdtempSync(join(tmpdir(), "berth-versions-"));
  dirs.push(dir);
  const asked = () => readFileSync(join(dir, "asked"), "utf8").split("\n").filter(Boolean).length;
  const binary = fakeServer(dir, "15.4");
  expect(reportedVersion(binary, ["--version"], /server (\d+)\./)).toBe("15");
  expect(reportedVersion(binary, ["--version"], /server (\d+)\./)).toBe("15");
  expect(asked()).toBe(1);
  rmSync(binary);
  fakeServer(dir, "16.12");
  expect(reportedVersion(binary, ["--version"], /server (\d+)\./)).toBe("16");
  expect(asked()).toBe(2);
});
