import type { Socket } from "node:net";
import { createInterface } from "node:readline";

/** Newline-delimited JSON over a socket: one message a line, each way. */
export function onMessages(socket: Socket, handle: (message: unknown) => void): void {
  const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on("line", (line) => {
    if (!line) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    handle(message);
  });
}

export function send(socket: Socket, message: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}
