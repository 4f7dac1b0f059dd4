import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { BerthError, userErrorsOf } from "../src/errors/index.js";
import { loadManifest } from "../src/manifest/index.js";
import { tempDir } from "./helpers/temp.js";

const root = join(import.meta.dirname, "..");
/** Valid (and some invalid) manifests to mutate: the examples and every test fixture. */
const seeds = [
  ...["accounts", "catalog", "web"].map((name) => join(root, "examples", name, "berth.yaml")),
  ...readdirSync(join(root, "test", "fixtures"), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith("berth.yaml"))
    .map((path) => join(root, "test", "fixtures", path))
    .filter((path) => statSync(path).isFile()),
].map((file) => readFileSync(file, "utf8"));

const parsedSeeds = seeds.flatMap((text) => {
  try {
    return [parse(text, { logLevel: "error" }) as unknown];
  } catch {
    return [];
  }
});

/** Pieces that YAML and Berth's interpolation give meaning to. */
const TOKENS = [
  ..."\n \t:-[]{},#&*!|>'\"%@`?$".split(""),
  "${",
  "}",
  "$${",
  "${requires.",
  "${self.",
  "${secret.",
  "${env.",
  "${processes.",
  "${require.db.url}",
  "&a ",
  "*a",
  "<<: *a",
  "!!binary ",
  "!!js/function ",
  "---\n",
  "...\n",
  "\uFEFF",
  "\u0000",
  "~",
  "null",
  "true",
  "0x1F",
  "1e999",
  "  - ",
  "\n  ",
  "\n    ",
  "ready:",
  "port: auto",
  "outputs:",
  "{ name: x, secret: true }",
  "__proto__: {}",
  "constructor:",
];

type Edit = { at: number; remove: number; insert: string };

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 }), fc.constant("")),
});

function mutate(text: string, edits: readonly Edit[]): string {
  let result = text;
  for (const { at, remove, insert } of edits) {
    const index = result.length === 0 ? 0 : at % (result.length + 1);
    result = result.slice(0, index) + insert + result.slice(index + remove);
  }
  return result;
}

/** Replaces a random value deep in the parsed manifest with a random one, keeping the YAML well-formed. */
function mutateData(data: unknown, path: readonly number[], value: unknown): unknown {
  if (path.length === 0 || data === null || typeof data !== "object") return value;
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length === 0) return value;
  const [first = 0, ...rest] = path;
  const index = first % entries.length;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(data) ? [...data] : { ...data };
  const key = entries[index]?.[0] ?? "";
  (copy as Record<string, unknown>)[key] = mutateData(entries[index]?.[1], rest, value);
  return copy;
}

let file = "";
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeEach(() => {
  file = join(tempDir(), "berth.yaml");
  process.on("warning", onWarning);
});
// Node's warnings (printed on the user's terminal) are emitted a tick later: none may have come.
afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  process.off("warning", onWarning);
  expect(warnings.splice(0).map((warning) => warning.message)).toEqual([]);
});

/** Loading never throws anything but Berth's user errors, each positioned within the text. */
function checkLoad(text: string): void {
  writeFileSync(file, text);
  let thrown: unknown;
  try {
    loadManifest(file);
    return;
  } catch (error) {
    thrown = error;
  }
  expect(thrown, String((thrown as Error)?.stack)).toBeInstanceOf(BerthError);
  const errors = userErrorsOf(thrown);
  expect(errors.length).toBeGreaterThan(0);
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const error of errors) {
    expect(error.location, `${error.code}: ${error.message}`).toBeDefined();
    const { file: at, line, col } = error.location ?? { file: "", line: 0, col: 0 };
    expect(at).toBe(file);
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line, error.message).toBeLessThanOrEqual(lines + 1);
    expect(col).toBeGreaterThanOrEqual(1);
  }
}

describe("the manifest loader under random input", () => {
  it("random text: a positioned error or a manifest, never anything else", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc
            .array(fc.constantFrom(...TOKENS, "name: a\n", "name", "a", "1"), { maxLength: 40 })
            .map((p) => p.join("")),
          fc.anything().map((value) => stringify(value) ?? ""),
        ),
        checkLoad,
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 250) },
    );
  });

  it("mutated valid manifests: a positioned error or a manifest, never anything else", () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 }), (seed, edits) =>
        checkLoad(mutate(seed, edits)),
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });

  it("valid manifests with a value swapped for a random one: a positioned error or a manifest", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...parsedSeeds),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.anything(), fc.constantFrom(...TOKENS)),
        (seed, path, value) => checkLoad(stringify(mutateData(seed, path, value)) ?? ""),
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 250) },
    );
  });
});
