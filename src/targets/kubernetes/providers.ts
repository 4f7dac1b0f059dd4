import type { Container, EnvVar } from "kubernetes-types/core/v1.js";
import type { ProviderClaimModel, ProviderModel } from "../model.js";
import { type KubeObject, labelsOf, type Rendered, selectorOf } from "./objects.js";
import { hashedJobName } from "./tasks.js";

const DATA: Partial<Record<ProviderModel["kind"], { path: string; size: string }>> = {
  postgres: { path: "/var/lib/postgresql/data", size: "1Gi" },
  mysql: { path: "/var/lib/mysql", size: "1Gi" },
  redis: { path: "/data", size: "256Mi" },
  // memcached holds nothing worth keeping: no volume
};

const secretEnv = (name: string, secrets: string, key: string): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secrets, key } },
});

/** The server's own env: its admin password from the workspace's Secret. */
function serverEnv(provider: ProviderModel, secrets: string): EnvVar[] {
  const admin = provider.adminPasswordSecret;
  if (provider.kind === "postgres" && admin) {
    return [
      secretEnv("POSTGRES_PASSWORD", secrets, admin),
      // The volume's root holds lost+found on many storage classes; initdb wants an empty folder.
      { name: "PGDATA", value: `${DATA.postgres?.path}/pgdata` },
    ];
  }
  if (provider.kind === "mysql" && admin) return [secretEnv("MARIADB_ROOT_PASSWORD", secrets, admin)];
  if (provider.kind === "redis" && admin) return [secretEnv("REDIS_PASSWORD", secrets, admin)];
  return [];
}

/** Each redis claim's password, for its ACL user on the server's command line. */
function redisUserEnv(provider: ProviderModel, secrets: string): EnvVar[] {
  if (provider.kind !== "redis") return [];
  return provider.claims.flatMap((claim, index) =>
    claim.user && claim.passwordSecret
      ? [secretEnv(`CLAIM_${index}_PASSWORD`, secrets, claim.passwordSecret)]
      : [],
  );
}

/**
 * Redis ACL users live in the server's memory: given as `--user` directives on its command line (the kubelet
 * expands `$(VAR)` there), each claim's user exists again after every restart, with no Job to re-run.
 */
function redisArgs(provider: ProviderModel): string[] {
  const users = provider.claims.flatMap((claim, index) =>
    claim.user && claim.passwordSecret
      ? ["--user", claim.user, "on", `>$(CLAIM_${index}_PASSWORD)`, "~*", "&*", "+@all"]
      : [],
  );
  return ["--appendonly", "yes", "--requirepass", "$(REDIS_PASSWORD)", ...users];
}

/**
 * A provider → a StatefulSet of one replica with its data on a PersistentVolumeClaim (volumeClaimTemplates),
 * the headless Service that gives it its stable name, and one Job per database claim creating that claim's
 * database and user with its own password.
 */
export function providerObjects(workspace: string, provider: ProviderModel, secrets: string): Rendered[] {
  const name = provider.service;
  const labels = labelsOf(workspace, name, "provider");
  const selector = selectorOf(name, "provider");
  const data = DATA[provider.kind];
  const container: Container = {
    name: provider.kind,
    image: provider.image,
    ...(provider.kind === "redis" && provider.adminPasswordSecret ? { args: redisArgs(provider) } : {}),
    env: [...serverEnv(provider, secrets), ...redisUserEnv(provider, secrets)],
    ports: [{ name: "main", containerPort: provider.port }],
    readinessProbe: { tcpSocket: { port: provider.port }, periodSeconds: 2 },
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    ...(data ? { volumeMounts: [{ name: "data", mountPath: data.path }] } : {}),
  };
  if (container.env?.length === 0) delete container.env;
  const statefulSet: KubeObject = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, labels },
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: selector },
      template: { metadata: { labels }, spec: { containers: [container] } },
      ...(data
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: "data", labels },
                spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: data.size } } },
              },
            ],
          }
        : {}),
    },
  };
  const service: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels },
    spec: {
      clusterIP: "None",
      selector,
      ports: [{ name: "main", port: provider.port, targetPort: provider.port }],
    },
  };
  const claims = provider.claims.flatMap((claim) => {
    const job = claimJob(workspace, provider, claim, secrets);
    return job ? [{ object: job, comments: [] }] : [];
  });
  return [{ object: statefulSet, comments: [] }, { object: service, comments: [] }, ...claims];
}

/** The name of the Job that creates a claim's database and user: hashed, as its template cannot change. */
export const providerClaimJobName = (provider: ProviderModel, claim: ProviderClaimModel): string =>
  hashedJobName(`${provider.service}-claim-${claim.consumer}-${claim.alias}`, [provider.image, claim]);

/** Waits for the server, then creates the user (or resets its password) and the database: idempotent. */
function claimScript(provider: ProviderModel, claim: ProviderClaimModel): string | undefined {
  const { database, user } = claim;
  if (!database || !user || !claim.passwordSecret) return undefined;
  const host = provider.service;
  if (provider.kind === "postgres") {
    const psql = `psql -v ON_ERROR_STOP=1 -h ${host} -U postgres -d postgres`;
    return [
      "set -e",
      `until pg_isready -h ${host} -U postgres; do sleep 1; done`,
      `${psql} -tAc "SELECT 1 FROM pg_roles WHERE rolname = '${user}'" | grep -q 1 || ${psql} -c 'CREATE ROLE "${user}" LOGIN'`,
      `${psql} -c "ALTER ROLE \\"${user}\\" PASSWORD '$CLAIM_PASSWORD'"`,
      `${psql} -tAc "SELECT 1 FROM pg_database WHERE datname = '${database}'" | grep -q 1 || ${psql} -c 'CREATE DATABASE "${database}" OWNER "${user}"'`,
    ].join("\n");
  }
  if (provider.kind === "mysql") {
    const mariadb = `mariadb -h ${host} -uroot -p"$MARIADB_ROOT_PASSWORD"`;
    return [
      "set -e",
      `until ${mariadb} -e 'SELECT 1' >/dev/null 2>&1; do sleep 1; done`,
      `${mariadb} -e "CREATE DATABASE IF NOT EXISTS \\\`${database}\\\`; CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '$CLAIM_PASSWORD'; ALTER USER '${user}'@'%' IDENTIFIED BY '$CLAIM_PASSWORD'; GRANT ALL ON \\\`${database}\\\`.* TO '${user}'@'%';"`,
    ].join("\n");
  }
  return undefined;
}

function claimJob(
  workspace: string,
  provider: ProviderModel,
  claim: ProviderClaimModel,
  secrets: string,
): KubeObject | undefined {
  const script = claimScript(provider, claim);
  if (!script || !claim.passwordSecret || !provider.adminPasswordSecret) return undefined;
  const admin = provider.kind === "postgres" ? "PGPASSWORD" : "MARIADB_ROOT_PASSWORD";
  const labels = labelsOf(workspace, claim.consumer, `claim-${claim.alias}`);
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: providerClaimJobName(provider, claim), labels },
    spec: {
      backoffLimit: 6,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "OnFailure",
          containers: [
            {
              name: "claim",
              image: provider.image,
              command: ["sh", "-c", script],
              env: [
                secretEnv(admin, secrets, provider.adminPasswordSecret),
                secretEnv("CLAIM_PASSWORD", secrets, claim.passwordSecret),
              ],
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
            },
          ],
        },
      },
    },
  };
}
