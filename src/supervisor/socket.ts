import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { splitLines, writeCoalesced } from "../logs/index.js";

/** The supervisor's socket in a state folder. */
export function socketPath(home: string): string {
  return join(home, "supervisor.sock");
}

/** Newline-delimited JSON over a socket: one message a line, each way. */
export function onMessages(socket: Socket, handle: (message: unknown) => void): void {
  splitLines(
    socket,
    (line) => {
      if (!line) return;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      handle(message);
    },
    () => {},
  );
}

export function send(socket: Socket, message: unknown): void {
  if (!socket.destroyed && socket.writable) writeCoalesced(socket, `${JSON.stringify(message)}\n`);
}

/** Whether a supervisor answers on the socket at `path` (a socket file left by a dead one does not). */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}
