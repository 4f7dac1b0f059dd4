import { connect } from "node:net";

/**
 * One request over a fresh TCP connection to 127.0.0.1, resolving to the first reply once `done` accepts
 * it. Enough for the one-line health checks of Redis (PING) and memcached (version).
 */
export function exchange(
  port: number,
  request: string,
  done: (reply: string) => boolean,
  timeoutMs = 2000,
): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    let reply = "";
    const socket = connect({ host: "127.0.0.1", port, timeout: timeoutMs });
    const finish = (ok: boolean, detail: string) => {
      socket.destroy();
      resolve({ ok, detail });
    };
    socket.once("connect", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString();
      if (done(reply)) finish(true, reply.trim());
    });
    socket.once("timeout", () => finish(false, "timed out"));
    socket.once("error", (error: Error & { code?: string }) =>
      finish(false, error.code === "ECONNREFUSED" ? "refused" : error.message),
    );
    socket.once("end", () => finish(false, reply.trim() || "closed"));
  });
}
