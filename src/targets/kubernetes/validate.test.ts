import { describe, expect, it } from "vitest";
import type { KubeObject } from "./objects.js";
import { validateObjects } from "./validate.js";

const deployment = (): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "catalog-api", labels: { "app.kubernetes.io/name": "catalog" } },
  spec: {
    selector: { matchLabels: { "app.kubernetes.io/name": "catalog" } },
    template: {
      metadata: { labels: { "app.kubernetes.io/name": "catalog" } },
      spec: {
        containers: [
          {
            name: "api",
            image: "ghcr.io/acme/catalog:dev",
            env: [{ name: "PORT", value: "8080" }],
            readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
          },
        ],
      },
    },
  },
});

describe("validateObjects", () => {
  it("accepts an object the schema describes, with free-form label keys", async () => {
    await expect(validateObjects([deployment()])).resolves.toBeUndefined();
  });

  it("refuses a value of the wrong type, naming the object and the path", async () => {
    const object = deployment() as { spec: { replicas: unknown } };
    object.spec.replicas = "two";
    await expect(validateObjects([object as KubeObject])).rejects.toThrow(
      /Deployment catalog-api: data\/spec\/replicas must be integer/,
    );
  });

  it("refuses a field the schema lacks, which kubernetes-models alone accepts", async () => {
    const object = deployment() as unknown as {
      spec: { template: { spec: { containers: { readinessProbe: Record<string, unknown> }[] } } };
    };
    const probe = object.spec.template.spec.containers[0]?.readinessProbe;
    if (probe) probe.httpGet = { path: "/healthz", port: 8080, hots: "typo" };
    await expect(validateObjects([object as unknown as KubeObject])).rejects.toThrow(
      "unknown field /spec/template/spec/containers/0/readinessProbe/httpGet/hots",
    );
  });
});
