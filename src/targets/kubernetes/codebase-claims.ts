import type { JobSpec } from "kubernetes-types/batch/v1.js";
import type { EnvVar } from "kubernetes-types/core/v1.js";
import type { CodebaseClaimModel, ContainerModel } from "../model.js";
import { containerOf } from "./containers.js";
import { type KubeObject, labelsOf } from "./objects.js";
import { hashedJobName } from "./tasks.js";
import { KUBECTL_IMAGE, WAITER_RULES, type Waits, waitContainers, waitsAny } from "./waiting.js";

/** The Secret a consumer reads a codebase claim's outputs from. */
export const claimSecretName = (consumer: string, alias: string): string =>
  `${consumer}-${alias}-claim`.slice(0, 63).replace(/-$/, "");

export interface CodebaseClaimInput {
  workspace: string;
  claim: CodebaseClaimModel;
  container: ContainerModel & { image: string };
  env: EnvVar[];
  waits: Waits;
  waiter: string;
  /** A RoleBinding names its ServiceAccount with its namespace. */
  namespace: string;
}

/**
 * A codebase claim (accounts registering a client for catalog) → a Job per consumer. Its first container
 * runs the providing codebase's `claim` task, which writes `key=value` lines to $BERTH_OUTPUT; the second
 * turns that file into the consumer's Secret with `kubectl apply --server-side -k` (a kustomization with a
 * secretGenerator, from a ConfigMap). Least RBAC: the Secret is rendered empty, so it exists and the Job
 * never creates anything; its own ServiceAccount may get and patch that one Secret by name (and, when it
 * waits for the provider's processes, read Jobs and Deployments as every waiting pod may).
 */
export function codebaseClaimObjects(input: CodebaseClaimInput): KubeObject[] {
  const { claim } = input;
  const secret = claimSecretName(claim.consumer, claim.alias);
  const account = `${claim.service}-writer`.slice(0, 63);
  const labels = labelsOf(input.workspace, claim.provider, `claim-${claim.consumer}`);
  const kustomization = [
    "generatorOptions: { disableNameSuffixHash: true }",
    "secretGenerator:",
    `  - name: ${secret}`,
    "    behavior: create",
    "    envs: [outputs.env]",
    "",
  ].join("\n");
  const env: EnvVar[] = [
    ...input.env.filter((variable) => variable.name !== "BERTH_OUTPUT"),
    { name: "BERTH_OUTPUT", value: "/berth/output/outputs.env" },
  ];
  const spec: JobSpec = {
    backoffLimit: 3,
    template: {
      metadata: { labels },
      spec: {
        restartPolicy: "Never",
        serviceAccountName: account,
        initContainers: [
          ...(waitsAny(input.waits) ? waitContainers(input.waits) : []),
          {
            ...containerOf("claim", {
              image: input.container.image,
              command: claim.command,
              env,
              resources: input.container.resources,
            }),
            volumeMounts: [{ name: "output", mountPath: "/berth/output" }],
          },
        ],
        containers: [
          {
            name: "write-secret",
            image: KUBECTL_IMAGE,
            args: [
              "apply",
              "--server-side",
              "--field-manager=berth-claim",
              "--force-conflicts",
              "-k",
              "/berth/output",
            ],
            volumeMounts: [
              { name: "output", mountPath: "/berth/output" },
              {
                name: "kustomization",
                mountPath: "/berth/output/kustomization.yaml",
                subPath: "kustomization.yaml",
              },
            ],
            resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
          },
        ],
        volumes: [
          { name: "output", emptyDir: {} },
          { name: "kustomization", configMap: { name: account } },
        ],
      },
    },
  };
  return [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: secret, labels: labelsOf(input.workspace, claim.consumer, `claim-${claim.alias}`) },
      type: "Opaque",
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: account, labels },
      data: { "kustomization.yaml": kustomization },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: account, labels },
      rules: [
        { apiGroups: [""], resources: ["secrets"], resourceNames: [secret], verbs: ["get", "patch"] },
        ...(waitsAny(input.waits) ? WAITER_RULES : []),
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: account, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: account },
      subjects: [{ kind: "ServiceAccount", name: account, namespace: input.namespace }],
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: hashedJobName(claim.service, spec), labels },
      spec,
    },
  ];
}
