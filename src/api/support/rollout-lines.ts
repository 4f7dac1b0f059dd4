import { BerthError } from "../../errors/index.js";

/** A Job, Deployment or StatefulSet as `kubectl get -o json` gives it: the fields the wait reads. */
export interface RolloutItem {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { replicas?: number; completions?: number };
  status?: {
    readyReplicas?: number;
    availableReplicas?: number;
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: { type: string; status: string; message?: string }[];
  };
}

/** What one object still waits for, in words, or undefined once it is done. */
export function waitingFor(item: RolloutItem, seconds: number): string | undefined {
  const { kind, metadata, status = {}, spec = {} } = item;
  const who = `${metadata.labels?.["app.kubernetes.io/name"] ?? metadata.name}/${metadata.labels?.["app.kubernetes.io/component"] ?? kind.toLowerCase()}`;
  if (kind === "Job") {
    if ((status.succeeded ?? 0) >= (spec.completions ?? 1)) return undefined;
    const failed = status.conditions?.find(
      (condition) => condition.type === "Failed" && condition.status === "True",
    );
    if (failed)
      throw new BerthError(
        "BERTH_KUBE_FAILED",
        `${who}: Job ${metadata.name} failed: ${failed.message ?? ""}`,
        {
          hint: `its output: kubectl logs job/${metadata.name} --all-containers`,
        },
      );
    return `${who}: waiting for Job ${metadata.name}: ${status.active ?? 0} of ${spec.completions ?? 1} pods running, ${seconds} s`;
  }
  const wanted = spec.replicas ?? 1;
  const ready = kind === "Deployment" ? (status.availableReplicas ?? 0) : (status.readyReplicas ?? 0);
  if (ready >= wanted) return undefined;
  return `${who}: waiting for ${kind} ${metadata.name}: ${ready} of ${wanted} pods ready, ${seconds} s`;
}
