import { spawn } from "node:child_process";
import { request } from "node:http";
import { connect } from "node:net";
import type { Command, Probe } from "../manifest/index.js";
import { invocation } from "./child.js";

export interface ProbeResult {
  ok: boolean;
  /** What the try saw, in words: "HTTP 200", "connection refused", "exit 1: no such table". */
  detail: string;
}

export const HOST = "127.0.0.1";

/** One try of a network or command probe. Log probes are driven by output lines instead. */
export async function probeOnce(
  probe: Probe,
  target: { host?: string; port: number | undefined; cwd: string; env: NodeJS.ProcessEnv },
  timeoutMs: number,
): Promise<ProbeResult> {
  const host = target.host ?? HOST;
  if (probe.http !== undefined) return httpProbe(host, target.port ?? 0, probe.http, timeoutMs);
  if (probe.tcp !== undefined) return tcpProbe(host, target.port ?? 0, timeoutMs);
  if (probe.exec !== undefined) return execProbe(probe.exec, target.cwd, target.env, timeoutMs);
  return { ok: true, detail: "no probe" };
}

/** How the probe reads in a sentence: "http 127.0.0.1:4100/healthz". */
export function describeProbe(probe: Probe | undefined, port: number | undefined, host = HOST): string {
  if (probe?.http !== undefined) return `http ${host}:${port}${probe.http}`;
  if (probe?.tcp !== undefined) return `tcp ${host}:${port}`;
  if (probe?.exec !== undefined)
    return `exec \`${typeof probe.exec === "string" ? probe.exec : probe.exec.join(" ")}\``;
  if (probe?.log !== undefined) return `log /${probe.log}/`;
  return "started";
}

/**
 * Connects first and sends the request on that connection: while nothing listens yet (most tries), a
 * refused connect costs a third of the CPU of a refused HTTP request, and many processes probe at once.
 */
function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("timeout", () => socket.destroy(new Error("timed out")));
    socket.once("error", (error) => resolve({ ok: false, detail: networkDetail(error) }));
    socket.once("connect", () => {
      const req = request(
        { host, port, path, method: "GET", timeout: timeoutMs, createConnection: () => socket },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          resolve({ ok: status >= 200 && status < 400, detail: `HTTP ${status}` });
          socket.destroy();
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", (error) => resolve({ ok: false, detail: networkDetail(error) }));
      req.end();
    });
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve({ ok: true, detail: "connected" });
    });
    socket.once("timeout", () => socket.destroy(new Error("timed out")));
    socket.once("error", (error) => resolve({ ok: false, detail: networkDetail(error) }));
  });
}

function execProbe(
  command: Command,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const run = invocation(command, cwd, env);
    const child = spawn(run.file, run.args, {
      cwd,
      env: run.env,
      stdio: ["ignore", "ignore", "pipe"],
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-500);
    });
    child.once("error", (error) => resolve({ ok: false, detail: error.message }));
    child.once("close", (code, signal) => {
      const last = stderr.trim().split("\n").at(-1);
      if (code === 0) resolve({ ok: true, detail: "exit 0" });
      else
        resolve({
          ok: false,
          detail: `${signal ? `killed by ${signal}` : `exit ${code}`}${last ? `: ${last}` : ""}`,
        });
    });
  });
}

function networkDetail(error: Error & { code?: string }): string {
  if (error.code === "ECONNREFUSED") return "refused";
  if (error.code === "ECONNRESET") return "connection reset";
  return error.message;
}

/**
 * The pace of readiness tries, shared by every process probing at once: together about one try every
 * 2 ms, each process at least every 20 ms. One process alone tries every 5 ms; ten or more every 20 ms,
 * as tighter tries then cost more CPU than they save while many processes start on few cores.
 */
export class ProbePace {
  #active = 0;

  /** Counts one more process probing; returns what ends its count. */
  enter(): () => void {
    this.#active += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#active -= 1;
    };
  }

  delayMs(): number {
    return Math.min(20, Math.max(5, 2 * this.#active));
  }
}

export const probing = new ProbePace();
