import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTree } from "../../test/helpers/workspace.js";
import { loadManifest } from "../manifest/index.js";
import { demandsOf } from "./demands.js";

function demands(files: Record<string, string>) {
  const dir = writeTree({ "berth.yaml": "name: web\n", ...files });
  return demandsOf(dir, loadManifest(join(dir, "berth.yaml"))).map((demand) => ({
    tool: demand.tool,
    constraint: demand.constraint,
    from: `${demand.from.file.slice(dir.length + 1)}:${demand.from.line}`,
  }));
}

describe("the versions a codebase needs", () => {
  it("come from berth.yaml's toolchain first, positioned there", () => {
    expect(
      demands({
        "berth.yaml": 'name: web\ntoolchain:\n  node: "18"\n',
        ".nvmrc": "20\n",
        ".python-version": "3.11.7\n",
      }),
    ).toEqual([
      { tool: "node", constraint: "18", from: "berth.yaml:3" },
      { tool: "python", constraint: "3.11.7", from: ".python-version:1" },
    ]);
  });

  it("keep a number as berth.yaml writes it: python 3.10 is not 3.1", () => {
    expect(demands({ "berth.yaml": "name: web\ntoolchain: { python: 3.10, node: 18 }\n" })).toEqual([
      { tool: "node", constraint: "18", from: "berth.yaml:2" },
      { tool: "python", constraint: "3.10", from: "berth.yaml:2" },
    ]);
  });

  it("are read from .tool-versions and mise.toml, with the line that says them", () => {
    expect(demands({ ".tool-versions": "# pinned\nnodejs 18.19.0 20.11.0\npython 3.12.1\n" })).toEqual([
      { tool: "node", constraint: "18.19.0", from: ".tool-versions:2" },
      { tool: "python", constraint: "3.12.1", from: ".tool-versions:3" },
    ]);
    expect(
      demands({ "mise.toml": '[env]\nA = "1"\n\n[tools]\nnode = "18"\npython = ["3.11", "3.12"]\n' }),
    ).toEqual([
      { tool: "node", constraint: "18", from: "mise.toml:5" },
      { tool: "python", constraint: "3.11", from: "mise.toml:6" },
    ]);
  });

  it("are read from package.json engines and pyproject.toml requires-python", () => {
    expect(
      demands({
        "package.json": JSON.stringify({ name: "web", engines: { node: ">=18 <21" } }, null, 2),
        "pyproject.toml": '[project]\nname = "web"\nrequires-python = ">=3.10"\n',
        ".node-version": "",
      }),
    ).toEqual([
      { tool: "node", constraint: ">=18 <21", from: "package.json:3" },
      { tool: "python", constraint: ">=3.10", from: "pyproject.toml:3" },
    ]);
  });

  it("are none from files that do not parse or say nothing", () => {
    const found = demands({ "package.json": "{ not json", "pyproject.toml": "requires-python = [" });
    expect(found).toEqual([]);
  });
});
