import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Child, execSimple, plainCommand } from "./child.js";

describe("execSimple", () => {
  it.each([
    ["node server.js", "exec node server.js"],
    ["PORT=1 NAME=x node s.js --a b", "PORT=1 NAME=x exec node s.js --a b"],
    ["a && b", "a && b"],
    ["sleep 0.3; touch x", "sleep 0.3; touch x"],
    ["echo $(date)", "echo $(date)"],
    ["exec foo", "exec foo"],
    ["cd x && y", "cd x && y"],
    ['FOO="a b" node x', 'FOO="a b" node x'],
    ["node a.js | tee log", "node a.js | tee log"],
  ])("%s → %s", (command, expected) => {
    expect(execSimple(command)).toBe(expected);
  });
});

describe("plainCommand", () => {
  it.each([
    ["node server.js", {}, ["node", "server.js"]],
    ["PORT=1 NAME=x node s.js --a b", { PORT: "1", NAME: "x" }, ["node", "s.js", "--a", "b"]],
    ["  ./bin/serve   --port=4100 ", {}, ["./bin/serve", "--port=4100"]],
    ["EMPTY= node s.js", { EMPTY: "" }, ["node", "s.js"]],
  ])("%s runs without a shell", (command, assignments, argv) => {
    expect(plainCommand(command)).toEqual({ assignments, argv });
  });

  it.each([
    'FOO="a b" node x',
    "node $HOME/x.js",
    "node *.js",
    "node ~/x.js",
    "node a.js | tee log",
    "a && b",
    "sleep 1; touch x",
    "cd x && y",
    "echo hi",
    "exec node x",
    "PORT=1",
    "PATH=/opt/bin node x",
    "node x # comment",
    "node 'x'",
    "node a\\ b",
    "",
  ])("%s is left to the shell", (command) => {
    expect(plainCommand(command)).toBeUndefined();
  });
});

describe("Child.spawn", () => {
  it("gives a command run without a shell its assignments and its folder as PWD, as a shell would", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "berth-child-")));
    try {
      const lines: string[] = [];
      const child = Child.spawn({
        command: "GREETING=hello env",
        cwd: dir,
        env: { ...process.env, PWD: "/somewhere/else" },
        onLine: (_stream, line) => lines.push(line),
      });
      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(lines).toContain("GREETING=hello");
      expect(lines).toContain(`PWD=${dir}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says which program it could not find", async () => {
    const lines: string[] = [];
    const child = Child.spawn({
      command: "no-such-program-here --port 1",
      cwd: tmpdir(),
      env: process.env,
      onLine: (_stream, line) => lines.push(line),
    });
    expect((await child.exited).code).toBe(127);
    expect(lines.join("\n")).toContain("cannot start no-such-program-here: no such program");
  });
});
