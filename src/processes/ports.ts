import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { BerthError } from "../errors/index.js";
import { portHolder } from "./port-holder.js";
import { HOST } from "./probe.js";

/** Where chosen ports start: above the ports development tools are usually told to use. */
const LOWEST_CHOSEN = 20_000;
const handedOut = new Set<number>();

/**
 * A port nothing listens on now, for a server or process to bind later. It is chosen outside the
 * kernel's range for outgoing connections: a port from that range can be taken, between the choice and
 * the bind, as the local end of any connection the machine makes (a probe, a client, a browser).
 * `kept` are ports remembered for others that may not listen now; none is handed out twice.
 */
export async function freePort(kept: Iterable<number> = []): Promise<number> {
  const avoided = new Set([...handedOut, ...kept]);
  const [low, high] = choosableRange();
  const size = high - low;
  const start = Math.floor(Math.random() * size);
  let tried = 0;
  for (let step = 0; step < size && tried < 50; step++) {
    const port = low + ((start + step) % size);
    if (avoided.has(port)) continue;
    tried++;
    if (await portTaken(port)) continue;
    handedOut.add(port);
    return port;
  }
  return kernelPort();
}

/** [low, high): below the outgoing range, or above it when it leaves no room below. */
function choosableRange(): [number, number] {
  const [outgoingLow, outgoingHigh] = outgoingRange();
  if (outgoingLow - LOWEST_CHOSEN >= 1000) return [LOWEST_CHOSEN, outgoingLow];
  return [outgoingHigh + 1, 65_536];
}

/** The kernel's range for the local ends of outgoing connections. */
export function outgoingRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    if (Number(low) > 0 && Number(high) >= Number(low)) return [Number(low), Number(high)];
  } catch {
    // not Linux: the range of macOS and the BSDs
  }
  return [49_152, 65_535];
}

function kernelPort(): Promise<number> {
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
