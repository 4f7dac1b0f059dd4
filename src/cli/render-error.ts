import { readFileSync } from "node:fs";
import { relative } from "node:path";
import pc from "picocolors";
import { type BerthError, type Location, userErrorsOf } from "../errors/index.js";

/** A user error as the terminal shows it: where, what, the line of the file with a caret, and the hint. */
export function renderUserError(error: BerthError, cwd = process.cwd(), label = pc.red("error")): string {
  const lines: string[] = [];
  const where = error.location ? `${pc.bold(shownLocation(error.location, cwd))} ` : "";
  const [first = "", ...rest] = error.message.split("\n");
  lines.push(`${label} ${where}${first}`);
  lines.push(...rest.map((line) => `  ${line.trim()}`));
  if (error.location) lines.push(...codeFrame(error.location));
  if (error.hint) lines.push(`  ${pc.cyan("hint:")} ${error.hint}`);
  return lines.join("\n");
}

export function renderUserErrors(error: unknown, cwd = process.cwd()): string {
  return userErrorsOf(error)
    .map((item) => renderUserError(item, cwd))
    .join("\n");
}

/** The error as JSON data, for `--json`. */
export function userErrorData(error: BerthError): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.location ? { location: error.location } : {}),
  };
}

function shownLocation(location: Location, cwd: string): string {
  const file = relative(cwd, location.file);
  return `${file.startsWith("..") && file.split("/").length > 3 ? location.file : file || location.file}:${location.line}:${location.col}`;
}

function codeFrame(location: Location): string[] {
  let text: string;
  try {
    text = readFileSync(location.file, "utf8");
  } catch {
    return [];
  }
  const line = text.split("\n")[location.line - 1];
  if (line === undefined || line.length > 200) return [];
  const number = String(location.line);
  const gutter = " ".repeat(number.length);
  const shown = line.replace(/\t/g, "→");
  return [
    `  ${pc.dim(`${number} │`)} ${shown}`,
    `  ${pc.dim(`${gutter} │`)} ${" ".repeat(location.col - 1)}${pc.red("^")}`,
  ];
}
