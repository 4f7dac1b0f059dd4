import { createServer } from "node:net";
import { BerthError } from "../errors/index.js";
import { portHolder } from "./port-holder.js";
import { HOST } from "./probe.js";

/** A port nothing listens on now, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Whether something already listens on the port (on 127.0.0.1 or any address). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(true));
    server.listen(port, HOST, () => server.close(() => resolve(false)));
  });
}

/** Throws, naming the holder, if the port is taken. */
export async function assertPortFree(port: number, wanted: string): Promise<void> {
  if (!(await portTaken(port))) return;
  const holder = portHolder(port);
  const who = holder ? `pid ${holder.pid} (${holder.command})` : "another process";
  throw new BerthError("BERTH_PORT_TAKEN", `port ${port}, wanted by ${wanted}, is already taken by ${who}`, {
    hint: holder
      ? `stop it (\`kill ${holder.pid}\`), or give ${wanted} another port (or \`port: auto\`)`
      : `free the port, or give ${wanted} another port`,
  });
}
