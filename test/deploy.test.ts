import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { berth } from "./helpers/cli.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";

const examples = join(import.meta.dirname, "..", "examples");

function example(): string {
  const dir = tempDir("berth-deploy-");
  for (const codebase of readdirSync(examples))
    cpSync(join(examples, codebase), join(dir, codebase), {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  return dir;
}

/** A kubeconfig of our own: no cluster is faked; `nowhere` points at a port nothing listens on. */
function kubeconfig(dir: string, current?: string): string {
  const file = join(dir, "kubeconfig");
  writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      'clusters: [{ name: closed, cluster: { server: "https://127.0.0.1:1" } }]',
      "contexts: [{ name: nowhere, context: { cluster: closed, user: someone } }]",
      "users: [{ name: someone, user: { token: not-a-token } }]",
      ...(current ? [`current-context: ${current}`] : []),
      "",
    ].join("\n"),
  );
  return file;
}

function run(dir: string, args: string[], env: Record<string, string> = {}) {
  return berth(args, { cwd: join(dir, "web"), home: join(dir, "home"), env });
}

describe("berth deploy without a cluster", () => {
  itWith(["kubectl"], "with no context anywhere, says so and how to name one", () => {
    const dir = example();
    const result = run(dir, ["deploy"], { KUBECONFIG: kubeconfig(dir) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("no Kubernetes context: kubeconfig has no current context");
    expect(result.stderr).toContain("pass --context <name>");
  });

  itWith(["kubectl"], "with a context kubeconfig lacks, names it", () => {
    const dir = example();
    const result = run(dir, ["deploy", "--context", "staging"], { KUBECONFIG: kubeconfig(dir, "nowhere") });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("no Kubernetes context named staging");
    expect(result.stderr).toContain("kubectl config get-contexts");
  });

  itWith(["kubectl"], "with a cluster that does not answer, names the context and a next step", () => {
    const dir = example();
    const env = { KUBECONFIG: kubeconfig(dir, "nowhere") };
    for (const args of [["deploy"], ["down", "--context", "nowhere"]]) {
      const result = run(dir, args, env);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("the cluster of Kubernetes context nowhere does not answer");
      expect(result.stderr).toContain("The connection to the server 127.0.0.1:1 was refused");
      expect(result.stderr).toContain("kubectl --context nowhere cluster-info");
    }
  });

  it("without kubectl, says to install it", () => {
    const dir = example();
    const result = run(dir, ["deploy", "--context", "nowhere"], { BERTH_KUBECTL: join(dir, "no-kubectl") });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("kubectl is not installed");
    expect(result.stderr).toContain("apt-get install kubernetes-client");
  });

  it("--dry-run renders and prints the exact kubectl lines, contacting nothing", () => {
    const dir = example();
    const result = run(dir, ["deploy", "--dry-run", "--context", "ctx", "--namespace", "staging"], {
      BERTH_KUBECTL: join(dir, "no-kubectl"),
    });
    expect(result.code, result.stderr).toBe(0);
    const folder = join(dir, "home", "kubernetes", "ctx", "staging", "web");
    expect(result.stdout.trim().split("\n")).toEqual([
      `kubectl --context ctx --namespace staging apply --server-side --field-manager=berth --force-conflicts -k ${folder}`,
      "kubectl --context ctx --namespace staging get deployments.apps,statefulsets.apps,jobs.batch,services,secrets,configmaps,serviceaccounts,roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io -l app.kubernetes.io/part-of=web,app.kubernetes.io/managed-by=berth -o name",
    ]);
    expect(readdirSync(folder)).toContain("kustomization.yaml");
  });

  it("down --context --volumes without --yes deletes nothing and says how", () => {
    const dir = example();
    const result = run(dir, ["down", "--context", "nowhere", "--volumes"], {
      BERTH_KUBECTL: join(dir, "no-kubectl"),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("nothing was deleted");
    expect(result.stderr).toContain("--yes");
  });
});

/**
 * Against a real cluster only: BERTH_TEST_KUBECONFIG (or, outside CI, KUBECONFIG) names it. No cluster exists
 * on the machines this was written on, so this test has not run there; it pulls public images.
 */
const clusterConfig =
  process.env.BERTH_TEST_KUBECONFIG ?? (process.env.CI === "true" ? undefined : process.env.KUBECONFIG);
describe("berth deploy on a real cluster", () => {
  it.skipIf(!clusterConfig)(
    `deploys a codebase with postgres, waits, re-applies without re-running its migrate, and downs it${clusterConfig ? "" : " (skipped: no KUBECONFIG or BERTH_TEST_KUBECONFIG names a cluster)"}`,
    () => {
      const dir = tempDir("berth-cluster-");
      mkdirSync(join(dir, "app"));
      writeFileSync(
        join(dir, "app", "berth.yaml"),
        [
          "name: berth-e2e",
          "requires: { db: { provider: postgres, version: 16 } }",
          "env: { DATABASE_URL: ${requires.db.url} }",
          "tasks:",
          '  migrate: { run: "psql \\"$DATABASE_URL\\" -c \'create table if not exists t (i int)\'" }',
          "processes:",
          "  idle:",
          '    run: "sleep infinity"',
          '    ready: { exec: "psql \\"$DATABASE_URL\\" -c \'select * from t\'" }',
          "container: { image: postgres:16 }",
          "",
        ].join("\n"),
      );
      const env = { KUBECONFIG: clusterConfig ?? "" };
      const namespace = `berth-e2e-${process.pid}`;
      spawnSync("kubectl", ["create", "namespace", namespace], { env: { ...process.env, ...env } });
      try {
        const cwd = join(dir, "app");
        const home = join(dir, "home");
        const first = berth(["deploy", "-n", namespace, "--timeout", "5m"], { cwd, home, env });
        expect(first.code, first.stderr).toBe(0);
        expect(first.stderr).toMatch(/waiting for (Job|StatefulSet|Deployment) /);
        const again = berth(["deploy", "-n", namespace, "--json"], { cwd, home, env });
        expect(again.code, again.stderr).toBe(0);
        const jobs = spawnSync("kubectl", ["-n", namespace, "get", "jobs", "-o", "name"], {
          env: { ...process.env, ...env },
          encoding: "utf8",
        });
        expect(jobs.stdout.split("\n").filter((line) => line.includes("migrate")).length).toBe(1);
        const down = berth(["down", "--context", JSON.parse(again.stdout).context, "-n", namespace], {
          cwd,
          home,
          env,
        });
        expect(down.code, down.stderr).toBe(0);
      } finally {
        spawnSync("kubectl", ["delete", "namespace", namespace, "--wait=false"], {
          env: { ...process.env, ...env },
        });
      }
    },
    600_000,
  );
});
