import { chmodSync, existsSync, mkdirSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp.js";
import { candidates } from "./candidates.js";

/** An executable file (its version comes from its folder's name; it is never run). */
function executable(file: string): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, "#!/bin/sh\nexit 1\n");
  chmodSync(file, 0o755);
}

describe("the binaries a version manager installed", () => {
  it("are found in the folders of mise, asdf, nvm, volta and fnm, by version, newest first", () => {
    const home = tempDir("berth-candidates-");
    executable(join(home, ".local/share/mise/installs/node/18.19.0/bin/node"));
    executable(join(home, ".asdf/installs/nodejs/16.20.2/bin/node"));
    executable(join(home, ".nvm/versions/node/v20.11.0/bin/node"));
    executable(join(home, ".volta/tools/image/node/18.20.8/bin/node"));
    executable(join(home, ".local/share/fnm/node-versions/v22.1.0/installation/bin/node"));
    mkdirSync(join(home, ".nvm/versions/node/v21.0.0")); // an unfinished install: no binary
    const found = candidates("node", { HOME: home, PATH: "" }, join(home, "state"));
    expect(found.map((candidate) => `${candidate.source} ${candidate.version}`)).toEqual([
      "fnm 22.1.0",
      "nvm 20.11.0",
      "volta 18.20.8",
      "mise 18.19.0",
      "asdf 16.20.2",
    ]);
    expect(found[0]?.bin).toBe(join(home, ".local/share/fnm/node-versions/v22.1.0/installation/bin"));
  });

  it("are found for Python in pyenv's and uv's folders, and Debian's python3.X by its name", () => {
    const home = tempDir("berth-candidates-");
    executable(join(home, ".pyenv/versions/3.10.13/bin/python3"));
    executable(join(home, ".local/share/uv/python/cpython-3.12.4-linux-x86_64-gnu/bin/python3"));
    const state = join(home, "state");
    const found = candidates("python", { HOME: home, PATH: "" }, state);
    expect(found.slice(0, 2).map((candidate) => `${candidate.source} ${candidate.version}`)).toEqual([
      "uv 3.12.4",
      "pyenv 3.10.13",
    ]);
    if (!existsSync("/usr/bin/python3.11")) return;
    const debian = found.find((candidate) => candidate.source === "debian" && candidate.version === "3.11");
    expect(debian).toBeDefined();
    // Its folder holds `python` and `python3`, both that version (Debian's /usr/bin has no `python`).
    expect(readlinkSync(join(debian?.bin ?? "", "python"))).toBe("/usr/bin/python3.11");
    expect(readlinkSync(join(debian?.bin ?? "", "python3"))).toBe("/usr/bin/python3.11");
  });
});
