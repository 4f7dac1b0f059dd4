import { createInterface } from "node:readline/promises";
import { BerthError } from "../errors/index.js";

/** Asks a yes/no question on the terminal; without a terminal the answer is no. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await lines.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    lines.close();
  }
}

/** Goes on when `yes` was passed or the user answers yes; otherwise refuses, saying what was left undone. */
export async function confirmOrRefuse(options: {
  yes: boolean | undefined;
  question: string;
  refusal: string;
  hint: string;
}): Promise<void> {
  if (options.yes || (await confirm(options.question))) return;
  throw new BerthError("BERTH_NOT_CONFIRMED", options.refusal, { hint: options.hint });
}
