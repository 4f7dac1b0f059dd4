import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "../src/api/validate.js";
import { type BerthError, formatLocation, userErrorsOf } from "../src/errors/index.js";
import { tempDir } from "./helpers/temp.js";

interface Expected {
  at: string | null;
  message: string;
  hint?: string;
}

const corpus = join(import.meta.dirname, "fixtures", "bad");
const cases = readdirSync(corpus).sort();

async function errorsFor(dir: string): Promise<BerthError[]> {
  const root = ["root", "a"].map((name) => join(dir, name)).find((candidate) => existsSync(candidate)) ?? dir;
  try {
    await validate({ root, home: tempDir() });
  } catch (error) {
    const errors = userErrorsOf(error);
    if (errors.length === 0) throw error;
    return errors;
  }
  return [];
}

function shown(error: BerthError, dir: string): Expected {
  return {
    at: error.location
      ? formatLocation({ ...error.location, file: relative(dir, error.location.file) })
      : null,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
  };
}

describe("the bad-manifest corpus", () => {
  it("holds at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%s: each expected error, at its position, and no other", async (name) => {
    const dir = join(corpus, name);
    const expected = JSON.parse(readFileSync(join(dir, "expect.json"), "utf8")) as Expected[];
    const actual = (await errorsFor(dir)).map((error) => shown(error, dir));
    expect(actual).toHaveLength(expected.length);
    for (const [index, want] of expected.entries()) {
      const got = actual[index];
      expect(got?.at, JSON.stringify(got)).toBe(want.at);
      expect(got?.message).toContain(want.message);
      if (want.hint) expect(got?.hint ?? "").toContain(want.hint);
    }
  });

  it("a huge file is refused before it is parsed", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "berth.yaml"), `name: a\ndescription: "${"x".repeat(2 * 1024 * 1024)}"\n`);
    const [error, ...rest] = await errorsFor(dir);
    expect(rest).toHaveLength(0);
    expect(error?.code).toBe("BERTH_MANIFEST_TOO_LARGE");
    expect(error?.message).toMatch(/2\.0 MiB; a manifest may be at most 1 MiB/);
  });

  it("a missing manifest says so and how to write one", async () => {
    const [error] = await errorsFor(tempDir());
    expect(error?.code).toBe("BERTH_MANIFEST_MISSING");
    expect(error?.hint).toContain("berth init");
  });
});
