import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { compare } from "../providers/index.js";
import { binaryVersion } from "./binary-version.js";
import type { Tool } from "./demands.js";

/** A binary that could serve a demand: its version and the folder to put first on PATH. */
export interface Candidate {
  tool: Tool;
  version: string;
  bin: string;
  /** Where it was found: "PATH", "mise", "nvm", "debian"... */
  source: string;
}

const EXECUTABLE: Record<Tool, string> = { node: "node", python: "python3" };
const SHIMS = /[/\\](shims|\.volta[/\\]bin)$/;

interface Place {
  source: string;
  /** The folder holding one folder per installed version. */
  root: string;
  /** The version a version folder's name says, or undefined for a folder that is not one. */
  version(name: string): string | undefined;
  bin(versionFolder: string): string;
}

const plainVersion = (name: string) => /^v?(\d+(?:\.\d+)*)$/.exec(name)?.[1];

/** The folders of the common version managers, as their environment variables move them. */
function places(tool: Tool, env: NodeJS.ProcessEnv): Place[] {
  const home = env.HOME ?? homedir();
  const data = env.XDG_DATA_HOME ?? join(home, ".local", "share");
  const inBin = (folder: string) => join(folder, "bin");
  const mise = join(env.MISE_DATA_DIR ?? join(data, "mise"), "installs");
  const asdf = join(env.ASDF_DATA_DIR ?? join(home, ".asdf"), "installs");
  if (tool === "node") {
    return [
      { source: "mise", root: join(mise, "node"), version: plainVersion, bin: inBin },
      { source: "asdf", root: join(asdf, "nodejs"), version: plainVersion, bin: inBin },
      {
        source: "nvm",
        root: join(env.NVM_DIR ?? join(home, ".nvm"), "versions", "node"),
        version: plainVersion,
        bin: inBin,
      },
      {
        source: "volta",
        root: join(env.VOLTA_HOME ?? join(home, ".volta"), "tools", "image", "node"),
        version: plainVersion,
        bin: inBin,
      },
      {
        source: "fnm",
        root: join(env.FNM_DIR ?? join(data, "fnm"), "node-versions"),
        version: plainVersion,
        bin: (folder) => join(folder, "installation", "bin"),
      },
    ];
  }
  return [
    { source: "mise", root: join(mise, "python"), version: plainVersion, bin: inBin },
    { source: "asdf", root: join(asdf, "python"), version: plainVersion, bin: inBin },
    {
      source: "pyenv",
      root: join(env.PYENV_ROOT ?? join(home, ".pyenv"), "versions"),
      version: plainVersion,
      bin: inBin,
    },
    {
      source: "uv",
      root: env.UV_PYTHON_INSTALL_DIR ?? join(data, "uv", "python"),
      version: (name) => /^cpython-(\d+\.\d+(?:\.\d+)?)[-+]/.exec(name)?.[1],
      bin: inBin,
    },
  ];
}

/**
 * Every binary of a tool on this machine, best first: those on PATH (what the user runs today), then those
 * of version managers, newest first, then Debian's python3.X. A version manager's version is read from its
 * folder's name; a binary on PATH is asked once (and remembered by `binaryVersion`).
 */
export function candidates(tool: Tool, env: NodeJS.ProcessEnv, home: string): Candidate[] {
  const found: Candidate[] = [];
  for (const folder of (env.PATH ?? "").split(delimiter)) {
    // A manager's shims choose a version by the folder they run in: their installs are listed below.
    if (folder === "" || SHIMS.test(folder) || !existsSync(join(folder, EXECUTABLE[tool]))) continue;
    const binary = join(folder, EXECUTABLE[tool]);
    const version = binaryVersion(home, binary);
    if (!version) continue;
    const bin = tool === "python" && !existsSync(join(folder, "python")) ? pythonShim(home, binary) : folder;
    found.push({ tool, version, bin, source: "PATH" });
  }
  const managed: Candidate[] = [];
  for (const place of places(tool, env)) {
    for (const name of list(place.root)) {
      const version = place.version(name);
      const bin = place.bin(join(place.root, name));
      if (version && existsSync(join(bin, EXECUTABLE[tool])))
        managed.push({ tool, version, bin, source: place.source });
    }
  }
  found.push(...managed.sort((a, b) => compare(b.version, a.version)));
  if (tool === "python") found.push(...debianPythons(home));
  return found;
}

function list(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** Debian's /usr/bin/python3.X, by the version its name says. */
function debianPythons(home: string): Candidate[] {
  const found: Candidate[] = [];
  for (const name of list("/usr/bin")) {
    const version = /^python(3\.\d+)$/.exec(name)?.[1];
    if (!version) continue;
    found.push({ tool: "python", version, bin: pythonShim(home, join("/usr/bin", name)), source: "debian" });
  }
  return found.sort((a, b) => compare(b.version, a.version));
}

/**
 * A folder where `python` and `python3` are one binary: Debian's /usr/bin holds no `python`, and its
 * `python3` may be another version than a python3.X beside it. Made once in the state folder.
 */
function pythonShim(home: string, binary: string): string {
  const id = createHash("sha256").update(binary).digest("hex").slice(0, 12);
  const bin = join(home, "toolchains", `${basename(binary)}-${id}`, "bin");
  if (existsSync(join(bin, "python"))) return bin;
  try {
    mkdirSync(bin, { recursive: true, mode: 0o700 });
    for (const link of ["python", "python3"])
      if (!existsSync(join(bin, link))) symlinkSync(binary, join(bin, link));
  } catch {
    // Without it, PATH gets the binary's own folder, where it is still there by its own name.
    return dirname(binary);
  }
  return bin;
}
