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

const corked = new WeakSet<Socket>();

/** Sends one message; the messages of one synchronous run leave in one write, waking the reader once. */
export function send(socket: Socket, message: unknown): void {
  if (socket.destroyed || !socket.writable) return;
  if (!corked.has(socket)) {
    corked.add(socket);
    socket.cork();
    process.nextTick(() => {
      corked.delete(socket);
      socket.uncork();
    });
  }
  socket.write(`${JSON.stringify(message)}\n`);
}
