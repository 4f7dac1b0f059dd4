import type { Writable } from "node:stream";

/**
 * Writes `text` so that what one synchronous run writes to a stream leaves in one write: each write wakes
 * the reader (the CLI, the guardian), which takes a CPU from the processes being started.
 */
export function writeCoalesced(stream: Writable, text: string): void {
  if (stream.writableCorked === 0) {
    stream.cork();
    process.nextTick(() => stream.uncork());
  }
  stream.write(text);
}
