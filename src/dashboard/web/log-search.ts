/** What the log search box holds: plain text (any case) or `/regex/flags`; null while it is invalid. */
export interface LogSearch {
  /** A global regular expression for highlighting (and, non-global, for testing lines). */
  pattern: RegExp;
  /** The same, as the source the server's `grep` parameter takes. */
  grep: string;
}

export function parseSearch(text: string): LogSearch | null | undefined {
  if (text === "") return undefined;
  const regex = /^\/(.+)\/([imsu]*)$/.exec(text);
  try {
    if (regex) {
      const [, source = "", flags = ""] = regex;
      return { pattern: new RegExp(source, `${flags}g`), grep: source };
    }
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // The server's grep is a plain JavaScript pattern (no flags): letters spelled in both cases instead.
    const anyCase = escaped.replace(
      /\p{L}/gu,
      (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`,
    );
    return { pattern: new RegExp(escaped, "gi"), grep: anyCase };
  } catch {
    return null;
  }
}

export function matches(search: LogSearch | undefined, line: string): boolean {
  if (!search) return true;
  search.pattern.lastIndex = 0;
  return search.pattern.test(line);
}

/** The line cut into plain and matching pieces: [text, matched][]. */
export function highlightPieces(search: LogSearch | undefined, line: string): [string, boolean][] {
  if (!search) return [[line, false]];
  const pieces: [string, boolean][] = [];
  let last = 0;
  search.pattern.lastIndex = 0;
  for (const match of line.matchAll(search.pattern)) {
    if (match[0] === "") break;
    const start = match.index ?? 0;
    if (start > last) pieces.push([line.slice(last, start), false]);
    pieces.push([match[0], true]);
    last = start + match[0].length;
  }
  if (last < line.length) pieces.push([line.slice(last), false]);
  return pieces;
}
