import { describe, expect, it } from "vitest";
import { staleObjects } from "./deploy-lines.js";
import { type RolloutItem, waitingFor } from "./rollout-lines.js";

const labels = { "app.kubernetes.io/name": "catalog", "app.kubernetes.io/component": "migrate" };

describe("the explained waiting of berth deploy", () => {
  it("says what a Job, a Deployment and a StatefulSet still wait for, as up does", () => {
    const job: RolloutItem = {
      kind: "Job",
      metadata: { name: "catalog-migrate-3f2a9c1e", labels },
      spec: { completions: 1 },
      status: { active: 1 },
    };
    expect(waitingFor(job, 12)).toBe(
      "catalog/migrate: waiting for Job catalog-migrate-3f2a9c1e: 1 of 1 pods running, 12 s",
    );
    expect(waitingFor({ ...job, status: { succeeded: 1 } }, 13)).toBeUndefined();
    const api: RolloutItem = {
      kind: "Deployment",
      metadata: {
        name: "catalog-api",
        labels: { "app.kubernetes.io/name": "catalog", "app.kubernetes.io/component": "api" },
      },
      spec: { replicas: 1 },
      status: {},
    };
    expect(waitingFor(api, 3)).toBe(
      "catalog/api: waiting for Deployment catalog-api: 0 of 1 pods ready, 3 s",
    );
    expect(waitingFor({ ...api, status: { availableReplicas: 1 } }, 4)).toBeUndefined();
    const db: RolloutItem = {
      kind: "StatefulSet",
      metadata: {
        name: "postgres-15",
        labels: { "app.kubernetes.io/name": "postgres-15", "app.kubernetes.io/component": "provider" },
      },
      spec: { replicas: 1 },
    };
    expect(waitingFor(db, 1)).toBe(
      "postgres-15/provider: waiting for StatefulSet postgres-15: 0 of 1 pods ready, 1 s",
    );
  });

  it("stops at a failed Job, with where to read its output", () => {
    const failed: RolloutItem = {
      kind: "Job",
      metadata: { name: "catalog-migrate-3f2a9c1e", labels },
      status: {
        failed: 4,
        conditions: [
          { type: "Failed", status: "True", message: "Job has reached the specified backoff limit" },
        ],
      },
    };
    expect(() => waitingFor(failed, 30)).toThrow(
      "catalog/migrate: Job catalog-migrate-3f2a9c1e failed: Job has reached the specified backoff limit",
    );
  });
});

describe("what berth deploy prunes", () => {
  it("the workspace's objects no longer rendered, compared without the API group", () => {
    const listed = [
      "deployment.apps/catalog-api",
      "deployment.apps/catalog-worker",
      "job.batch/catalog-migrate-3f2a9c1e",
      "job.batch/catalog-migrate-0badc0de",
      "service/catalog-api",
      "role.rbac.authorization.k8s.io/web-waiter",
    ];
    const rendered = [
      { kind: "Deployment", name: "catalog-api" },
      { kind: "Job", name: "catalog-migrate-3f2a9c1e" },
      { kind: "Service", name: "catalog-api" },
      { kind: "Role", name: "web-waiter" },
    ];
    expect(staleObjects(listed, rendered)).toEqual([
      "deployment.apps/catalog-worker",
      "job.batch/catalog-migrate-0badc0de",
    ]);
  });
});
