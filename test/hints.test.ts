import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { berthProgram } from "../src/cli/main.js";

const root = join(import.meta.dirname, "..");

/** Every `berth …` command quoted in backticks in the sources and docs, with where it was found. */
function quotedCommands(): { where: string; command: string }[] {
  const files = [
    ...readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .map((file) => join(root, "src", file)),
    join(root, "README.md"),
    ...readdirSync(join(root, "docs")).map((file) => join(root, "docs", file)),
  ];
  const found: { where: string; command: string }[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    for (const [index, line] of lines.entries()) {
      const where = `${relative(root, file)}:${index + 1}`;
      // In a TypeScript template literal the backticks are escaped: \`berth up\`.
      for (const match of line.matchAll(/\\?`berth ([^`\\]+)\\?`/g))
        found.push({ where, command: match[1] ?? "" });
    }
    // Lines of shell code blocks in Markdown: `berth …`, several per line with &&, comments after #.
    let inShell = false;
    for (const [index, line] of lines.entries()) {
      if (line.startsWith("```")) inShell = /^```(sh|bash|shell)\s*$/.test(line);
      else if (inShell) {
        for (const part of line.replace(/(^|\s)#.*$/, "").split(/&&|;|\|/)) {
          const command = part.trim().replace(/^\$ /, "");
          if (command.startsWith("berth "))
            found.push({ where: `${relative(root, file)}:${index + 1}`, command: command.slice(6) });
        }
      }
    }
  }
  return found;
}

/** Shell words, with placeholders for what a hint leaves to the reader. */
function words(command: string): string[] {
  const result: string[] = [];
  for (const match of command.replace(/\$\{[^}]*\}/g, "x").matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    const word = match[1] ?? match[2] ?? match[3] ?? "";
    if (/^\[.*\]$|^…$|^\.\.\.$/.test(word)) continue; // an optional placeholder: [codebase…]
    result.push(word.replace(/…$/, ""));
  }
  return result;
}

/** A mention of a command without its arguments (`berth run`, `berth link`) names a command that exists. */
const MENTION = ["commander.missingArgument", "commander.optionMissingArgument"];

/** Parses a command with the CLI's own parser, running nothing; the problem commander names, if any. */
async function parseProblem(args: string[]): Promise<string | undefined> {
  const program = berthProgram(async () => {});
  const silence = (command: Command): void => {
    command.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    for (const sub of command.commands) silence(sub);
  };
  silence(program);
  try {
    await program.parseAsync(args, { from: "user" });
    return undefined;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return error.exitCode === 0 || MENTION.includes(error.code) ? undefined : error.message;
  }
}

describe("commands named in hints and docs", () => {
  it("finds the quoted commands", () => {
    const commands = quotedCommands().map((entry) => entry.command);
    expect(commands).toContain("up");
    expect(commands).toContain("trust");
    expect(commands.length).toBeGreaterThan(30);
  });

  it("every one parses with the CLI's own parser: no unknown command or option", async () => {
    const problems: string[] = [];
    for (const { where, command } of quotedCommands()) {
      const problem = await parseProblem(words(command));
      if (problem) problems.push(`${where}: \`berth ${command}\`: ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it("a command that does not exist is caught", async () => {
    expect(await parseProblem(words("down --scorched-earth"))).toMatch(/unknown option '--scorched-earth'/);
    expect(await parseProblem(words("frobnicate"))).toMatch(/unknown command/);
    expect(await parseProblem(words("db shell <codebase>[/<alias>] -- -Atc 'select 1'"))).toBeUndefined();
  });
});
