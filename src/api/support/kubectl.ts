import { spawn } from "node:child_process";
import { BerthError } from "../../errors/index.js";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubectl binary: `BERTH_KUBECTL` (a test or a wrapper), else kubectl on PATH. */
export const kubectlBinary = (env: NodeJS.ProcessEnv = process.env): string => env.BERTH_KUBECTL ?? "kubectl";

/** Runs kubectl with these arguments, never through a shell; resolves with its exit code and output. */
export function kubectl(args: readonly string[], signal?: AbortSignal): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlBinary(), args, { stdio: ["ignore", "pipe", "pipe"], signal });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        reject(
          new BerthError(
            "BERTH_KUBECTL_MISSING",
            `kubectl is not installed (no ${kubectlBinary()} on PATH)`,
            {
              hint: "install kubectl (Debian: apt-get install kubernetes-client), then run the command again",
            },
          ),
        );
      } else reject(error);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The arguments that pick the cluster and namespace, first on every kubectl line Berth runs. */
export function targetArgs(target: { context: string; namespace?: string | undefined }): string[] {
  return ["--context", target.context, ...(target.namespace ? ["--namespace", target.namespace] : [])];
}

/**
 * The context to deploy to: the one asked for, else kubeconfig's current one. Checks that it exists and
 * that its cluster answers, so every later failure is about the objects, not the connection.
 */
export async function checkedContext(context: string | undefined, signal?: AbortSignal): Promise<string> {
  let name = context;
  if (name === undefined) {
    const current = await kubectl(["config", "current-context"], signal);
    name = current.code === 0 ? current.stdout.trim() : "";
    if (!name) {
      throw new BerthError("BERTH_KUBE_CONTEXT", "no Kubernetes context: kubeconfig has no current context", {
        hint: "pass --context <name> (`kubectl config get-contexts` lists them), or set KUBECONFIG to a kubeconfig that names one",
      });
    }
  }
  const version = await kubectl(
    ["--context", name, "--request-timeout=10s", "get", "--raw", "/version"],
    signal,
  );
  if (version.code !== 0) {
    const said = version.stderr.trim().split("\n").at(-1) ?? "";
    const missing = /context .* does not exist/.test(said);
    throw new BerthError(
      "BERTH_KUBE_CONTEXT",
      missing
        ? `no Kubernetes context named ${name}`
        : `the cluster of Kubernetes context ${name} does not answer: ${said}`,
      {
        hint: missing
          ? "`kubectl config get-contexts` lists the contexts; pass one as --context <name>"
          : `check it with \`kubectl --context ${name} cluster-info\`, or pass another --context`,
      },
    );
  }
  return name;
}

/** The namespace a context names, else `default` (as kubectl itself does). */
export async function contextNamespace(context: string, signal?: AbortSignal): Promise<string> {
  const result = await kubectl(
    ["config", "view", "--minify", "--context", context, "-o", "jsonpath={..namespace}"],
    signal,
  );
  return (result.code === 0 && result.stdout.trim()) || "default";
}

/** Runs kubectl and fails with its own words when it fails. */
export async function kubectlOrFail(
  args: readonly string[],
  what: string,
  signal?: AbortSignal,
): Promise<string> {
  const result = await kubectl(args, signal);
  if (result.code !== 0) {
    throw new BerthError("BERTH_KUBE_FAILED", `kubectl failed to ${what}: ${result.stderr.trim()}`, {
      hint: `run it yourself to see more: kubectl ${args.join(" ")}`,
    });
  }
  return result.stdout;
}
