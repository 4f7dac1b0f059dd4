import type { Probe } from "kubernetes-types/core/v1.js";
import type { ProbeModel } from "../model.js";
import { argvOf } from "./containers.js";

export interface ProbesOfProcess {
  readinessProbe?: Probe;
  startupProbe?: Probe;
  /** Said in the object's file and in the command's output: what could not be carried over. */
  note?: string;
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * A process's `ready` as Kubernetes probes: http → httpGet, tcp → tcpSocket, exec → exec as the
 * readinessProbe, and the same check as a startupProbe given the manifest's whole `timeout` to pass first.
 * A `log` probe reads the process's output, which no kubelet probe can: it becomes a note, nothing more.
 */
export function probesOf(
  probe: ProbeModel | undefined,
  port: number | undefined,
  who: string,
): ProbesOfProcess {
  if (!probe) return {};
  if (probe.kind === "log") {
    return {
      note: `${who}: its ready probe { log: ${JSON.stringify(probe.pattern)} } has no Kubernetes equivalent (a kubelet cannot read a container's output): the pod counts as ready once it runs`,
    };
  }
  const check = checkOf(probe, port);
  if (!check) return {};
  const period = seconds(probe.intervalMs);
  const start = probe.startPeriodMs > 0 ? { initialDelaySeconds: seconds(probe.startPeriodMs) } : {};
  return {
    readinessProbe: { ...check, periodSeconds: period },
    startupProbe: {
      ...check,
      ...start,
      periodSeconds: period,
      failureThreshold: Math.max(1, Math.ceil(probe.timeoutMs / 1000 / period)),
    },
  };
}

function checkOf(probe: ProbeModel, port: number | undefined): Probe | undefined {
  if (probe.kind === "http" && port !== undefined) return { httpGet: { path: probe.path, port } };
  if (probe.kind === "tcp" && port !== undefined) return { tcpSocket: { port } };
  if (probe.kind === "exec") return { exec: { command: argvOf(probe.command) ?? [] } };
  return undefined;
}
