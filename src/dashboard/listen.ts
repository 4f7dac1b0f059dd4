import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type DashboardSettings, keepSettings, newToken, readSettings } from "./settings.js";

/**
 * Listens on 127.0.0.1 at the port kept for this state folder (bookmarks keep working); the first time, or
 * when another program holds it now, on a free port, which is kept from then on (`movedFrom` says so).
 */
export async function listenKept(
  server: Server,
  home: string,
): Promise<{ settings: DashboardSettings; movedFrom?: number }> {
  const kept = readSettings(home);
  if (kept && (await listenSoon(server, kept.port))) return { settings: kept };
  await listen(server, 0);
  const settings = { port: (server.address() as AddressInfo).port, token: kept?.token ?? newToken() };
  keepSettings(home, settings);
  return kept ? { settings, movedFrom: kept.port } : { settings };
}

/**
 * Whether the port could be had within a second and a half: the supervisor that served it last may be exiting
 * still (`berth down --all && berth dashboard`).
 */
async function listenSoon(server: Server, port: number): Promise<boolean> {
  const deadline = Date.now() + 1500;
  for (;;) {
    try {
      await listen(server, port);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EADDRINUSE" && code !== "EACCES") throw error;
      if (code === "EACCES" || Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once("error", failed);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.off("error", failed);
      resolve();
    });
  });
}
