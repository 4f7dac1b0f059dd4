import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sandboxed } from "./sandbox.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A client whose `--help` lists these options, as an older MariaDB or Oracle's mysql would. */
function fakeClient(help: string): string {
  const folder = mkdtempSync(join(tmpdir(), "berth-client-"));
  folders.push(folder);
  const client = join(folder, "mysql");
  writeFileSync(client, `#!/bin/sh\ncat <<'HELP'\n${help}\nHELP\n`);
  chmodSync(client, 0o755);
  return client;
}

describe("loading a MariaDB dump", () => {
  it("takes a client with --sandbox, and refuses one without it", () => {
    const modern = fakeClient("  --sandbox           Disallow commands that access the file system");
    expect(sandboxed(modern)).toEqual(["--sandbox", "--binary-mode", "--local-infile=0"]);
    const old = fakeClient("  --safe-updates      Only allow UPDATE and DELETE that uses keys.");
    expect(() => sandboxed(old)).toThrow(
      /has no --sandbox option: it would run the client commands a dump may hold/,
    );
  });
});
