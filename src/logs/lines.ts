/**
 * Calls `onLine` for each line of a stream (without its \n or \r\n), then `onEnd`. Lighter than readline
 * (and quicker to load): the CLI's socket, where a message is one line of any length.
 */
export function splitLines(
  readable: NodeJS.ReadableStream,
  onLine: (line: string) => void,
  onEnd: () => void,
): void {
  let rest = "";
  readable.setEncoding("utf8");
  readable.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  });
  readable.on("end", () => {
    if (rest) onLine(rest);
    onEnd();
  });
  readable.on("error", () => {});
}

/** The longest record a process's output makes: a longer line is cut into records of this size. */
export const MAX_RECORD_CHARS = 64 * 1024;

/**
 * Calls `onRecord` for each record of a process's output as it arrives: a line ends at \n, \r\n or a lone
 * \r (each frame of a progress bar is a record of its own), and a line longer than `MAX_RECORD_CHARS` is
 * cut, so output without newlines is seen (and stored, within the logs' cap) while the process runs.
 */
export function splitRecords(
  readable: NodeJS.ReadableStream,
  onRecord: (record: string) => void,
  onEnd: () => void,
  maxChars = MAX_RECORD_CHARS,
): void {
  let rest = "";
  readable.setEncoding("utf8");
  readable.on("data", (chunk: string) => {
    rest = emitRecords(rest + chunk, onRecord, maxChars);
  });
  readable.on("end", () => {
    // A \r held back in case a \n followed ends the last record.
    const last = rest.endsWith("\r") ? rest.slice(0, -1) : rest;
    if (last) onRecord(last);
    onEnd();
  });
  readable.on("error", () => {});
}

/** Emits every complete record of `text`; returns what is left for the next chunk. */
function emitRecords(text: string, onRecord: (record: string) => void, maxChars: number): string {
  let start = 0;
  for (;;) {
    let end = start;
    while (end < text.length && end - start < maxChars) {
      const code = text.charCodeAt(end);
      if (code === 10 || code === 13) break;
      end++;
    }
    if (end === text.length) return text.slice(start);
    const code = text.charCodeAt(end);
    if (code === 13) {
      // \r\n is one end of line; a \r last in the chunk waits for the next to tell.
      if (end + 1 === text.length) return text.slice(start);
      const crlf = text.charCodeAt(end + 1) === 10;
      // A frame is kept; the nothing before a progress bar's first \r is not.
      if (crlf || end > start) onRecord(text.slice(start, end));
      start = crlf ? end + 2 : end + 1;
    } else if (code === 10) {
      onRecord(text.slice(start, end));
      start = end + 1;
    } else {
      // Cut at the size limit, never inside a surrogate pair.
      const cut = end - 1 > start && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
      onRecord(text.slice(start, cut));
      start = cut;
    }
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
