import { describe, expect, it } from "vitest";
import { execSimple } from "./child.js";

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
