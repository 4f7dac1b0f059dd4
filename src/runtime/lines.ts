/**
 * Calls `onLine` for each line of a stream (without its \n or \r\n), then `onEnd`. Lighter than readline
 * (and quicker to load): one pair of streams per supervised process, and the CLI's socket.
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
