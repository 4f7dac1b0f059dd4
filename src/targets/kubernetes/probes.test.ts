import { describe, expect, it } from "vitest";
import { envVarsOf } from "./env.js";
import { probesOf } from "./probes.js";

const timing = { intervalMs: 2000, timeoutMs: 30_000, startPeriodMs: 0 };

describe("probesOf", () => {
  it("maps http, tcp and exec to readiness and startup probes, the timeout as the startup's budget", () => {
    expect(probesOf({ kind: "http", path: "/healthz", ...timing }, 8080, "a/web")).toEqual({
      readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 2 },
      startupProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 2, failureThreshold: 15 },
    });
    expect(probesOf({ kind: "tcp", ...timing }, 5432, "a/db").readinessProbe).toEqual({
      tcpSocket: { port: 5432 },
      periodSeconds: 2,
    });
    expect(
      probesOf({ kind: "exec", command: "test -f /tmp/up", ...timing }, undefined, "a/w").readinessProbe,
    ).toEqual({ exec: { command: ["sh", "-c", "test -f /tmp/up"] }, periodSeconds: 2 });
  });

  it("gives a log probe no probe, and a note that says so", () => {
    const probes = probesOf({ kind: "log", pattern: "started", ...timing }, undefined, "a/worker");
    expect(probes.readinessProbe).toBeUndefined();
    expect(probes.note).toContain(
      'a/worker: its ready probe { log: "started" } has no Kubernetes equivalent',
    );
  });
});

describe("envVarsOf", () => {
  it("reads secrets and claim outputs from Secrets, inside text through $(…), and escapes a literal $(", () => {
    const env = envVarsOf(
      {
        A: ["postgres://u:", { secret: "DB_PW" }, "@db/x"],
        B: [{ claimOutput: { alias: "auth", key: "client_id" } }],
        C: ["echo $(date)"],
      },
      "ws-secrets",
      (alias) => `me-${alias}-claim`,
    );
    expect(env).toEqual([
      { name: "BERTH_WS_SECRETS_DB_PW", valueFrom: { secretKeyRef: { name: "ws-secrets", key: "DB_PW" } } },
      { name: "A", value: "postgres://u:$(BERTH_WS_SECRETS_DB_PW)@db/x" },
      { name: "B", valueFrom: { secretKeyRef: { name: "me-auth-claim", key: "client_id" } } },
      { name: "C", value: "echo $$(date)" },
    ]);
  });
});
