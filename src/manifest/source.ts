import { readFileSync, statSync } from "node:fs";
import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from "yaml";
import { BerthError, BerthErrors, type Location } from "../errors/index.js";

/** Manifests are small; anything larger is a mistake (a generated or binary file), not a manifest. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export type YamlPath = readonly (string | number)[];

/** A parsed YAML file that can say where any of its values is. */
export interface YamlSource {
  file: string;
  text: string;
  data: unknown;
  /** The location of the value at `path`, or of its key with `{ key: true }`; falls back to the nearest parent. */
  locate(path: YamlPath, options?: { key?: boolean }): Location;
  /** The location of a character offset in the file. */
  locateOffset(offset: number): Location;
  /** The character range of the value at `path` (the nearest parent's if it is absent). */
  rangeOf(path: YamlPath): readonly [number, number];
}

export function readYamlFile(file: string, what = "manifest"): YamlSource {
  const bytes = readBytes(file, what);
  const text = decodeUtf8(bytes, file);
  return parseYaml(file, text);
}

function readBytes(file: string, what: string): Buffer {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch (error) {
    if (isDenied(error)) throw unreadable(file, what, error);
    throw new BerthError("BERTH_MANIFEST_MISSING", `no ${what} at ${file}`, {
      hint: "check the path, or run `berth init` in the codebase's folder to write one",
      cause: error,
    });
  }
  if (stat.isDirectory()) {
    throw new BerthError("BERTH_MANIFEST_NOT_A_FILE", `${file} is a directory, not a ${what} file`, {
      hint: "a manifest is the file berth.yaml inside the codebase's folder",
    });
  }
  if (stat.size > MAX_MANIFEST_BYTES) {
    throw new BerthError(
      "BERTH_MANIFEST_TOO_LARGE",
      `${file} is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; a ${what} may be at most 1 MiB`,
      { hint: "is this the right file? A berth.yaml is usually under a few kilobytes" },
    );
  }
  try {
    return readFileSync(file);
  } catch (error) {
    if (isDenied(error)) throw unreadable(file, what, error);
    throw error;
  }
}

function isDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM";
}

function unreadable(file: string, what: string, cause: unknown): BerthError {
  return new BerthError("BERTH_MANIFEST_UNREADABLE", `this ${what} cannot be read: permission denied`, {
    location: { file, line: 1, col: 1 },
    hint: `the user running Berth must be able to read it and enter its folders; see \`ls -l ${file}\``,
    cause,
  });
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const before = bytes.subarray(0, offset).toString("utf8");
    const lines = before.split("\n");
    throw new BerthError("BERTH_MANIFEST_ENCODING", "the file is not valid UTF-8", {
      location: { file, line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1 },
      hint: "save the file as UTF-8",
    });
  }
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence. */
function firstInvalidUtf8Offset(bytes: Buffer): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0;
    const length =
      lead < 0x80 ? 1 : lead >> 5 === 0b110 ? 2 : lead >> 4 === 0b1110 ? 3 : lead >> 3 === 0b11110 ? 4 : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next++) if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index;
    index += length;
  }
  return index;
}

/** `merge`: read `<<: *anchor` merge keys, as Compose files use them (manifests do not). */
export function parseYaml(file: string, text: string, options: { merge?: boolean } = {}): YamlSource {
  const lineCounter = new LineCounter();
  // logLevel "error": a key that is a mapping or a tagged value (`? { a: 1 } : x`, `!!binary a: x`) is read as
  // its text and refused by the schema with its position, instead of a warning from Node on the terminal.
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: "error",
    merge: options.merge ?? false,
  });
  const locateOffset = (offset: number): Location => ({ file, ...lineCounter.linePos(offset) });
  if (doc.errors.length > 0) {
    throw new BerthErrors(
      doc.errors.map(
        (error) =>
          new BerthError("BERTH_YAML_SYNTAX", yamlMessage(error.code, error.message), {
            location: locateOffset(error.pos[0]),
            hint: yamlHint(error.code),
          }),
      ),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new BerthError("BERTH_YAML_SYNTAX", `the YAML cannot be read: ${(error as Error).message}`, {
      location: locateOffset(0),
      hint: "check the anchors (&name) and aliases (*name) in the file",
    });
  }
  return {
    file,
    text,
    data,
    locateOffset,
    locate: (path, options = {}) => locateOffset(rangeIn(doc, path, options.key ?? false)[0]),
    rangeOf: (path) => rangeIn(doc, path, false),
  };
}

function yamlMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "this key appears twice in the same mapping";
  if (code === "TAB_AS_INDENT") return "tabs are not allowed as indentation in YAML";
  return `invalid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

function yamlHint(code: string): string | undefined {
  if (code === "DUPLICATE_KEY") return "remove one of them, or merge their contents";
  if (code === "TAB_AS_INDENT") return "indent with spaces";
  if (code === "BAD_INDENT" || code === "BLOCK_AS_IMPLICIT_KEY" || code === "MULTILINE_IMPLICIT_KEY") {
    return "check the indentation and that every `key: value` has a space after the colon";
  }
  return undefined;
}

function rangeIn(doc: Document, path: YamlPath, wantKey: boolean): readonly [number, number] {
  let node: unknown = doc.contents;
  let best = rangeOfNode(node) ?? [0, 0];
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!pair) return best;
      const keyRange = rangeOfNode(pair.key);
      if (last && wantKey && keyRange !== undefined) return keyRange;
      node = pair.value;
      best = rangeOfNode(node) ?? keyRange ?? best;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      best = rangeOfNode(node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}

function rangeOfNode(node: unknown): readonly [number, number] | undefined {
  if (!isNode(node)) return undefined;
  const range = (node as Node).range;
  return range ? [range[0], range[1]] : undefined;
}
