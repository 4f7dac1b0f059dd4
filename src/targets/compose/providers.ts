import type { ProviderModel } from "../model.js";

export interface ProviderServices {
  /** The server and, where claims need creating, its one-shot init. */
  services: Record<string, Record<string, unknown>>;
  /** The Compose secrets they read (admin and claim passwords). */
  secrets: string[];
  /** The service a claim's consumers wait for, and how. */
  claimDone: { service: string; condition: string };
}

const HEALTH = { interval: "2s", timeout: "5s", retries: 30, start_period: "5s" };
const run = (name: string) => `"$(cat /run/secrets/${name})"`;

/**
 * A provider as its official image: a healthcheck, a named volume, and an init that creates each claim's
 * database and user with its own password, read from Compose secrets (never written in the file).
 */
export function providerServices(provider: ProviderModel, labels: Record<string, string>): ProviderServices {
  const admin = provider.adminPasswordSecret;
  const passwords = provider.claims.flatMap((claim) => (claim.passwordSecret ? [claim.passwordSecret] : []));
  const secrets = [...(admin ? [admin] : []), ...passwords];
  const server: Record<string, unknown> = { image: provider.image, labels, restart: "unless-stopped" };
  const volume = `${provider.service}-data:`;
  let script: string[] = [];
  switch (provider.kind) {
    case "postgres":
      Object.assign(server, {
        environment: { POSTGRES_PASSWORD_FILE: `/run/secrets/${admin}` },
        volumes: [`${volume}/var/lib/postgresql/data`],
        healthcheck: { test: ["CMD-SHELL", "pg_isready -U postgres -h 127.0.0.1"], ...HEALTH },
      });
      script = [
        `export PGPASSWORD=${run(admin ?? "")}`,
        ...provider.claims.flatMap((claim) => [
          `psql -v ON_ERROR_STOP=1 -h ${provider.service} -U postgres -d postgres -v user=${claim.user} -v db=${claim.database} -v pw=${run(claim.passwordSecret ?? "")} <<'SQL'`,
          "SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \\gexec",
          `ALTER ROLE :"user" LOGIN PASSWORD :'pw';`,
          "SELECT format('CREATE DATABASE %I OWNER %I TEMPLATE template0', :'db', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec",
          `REVOKE ALL ON DATABASE :"db" FROM PUBLIC;`,
          "SQL",
        ]),
      ];
      break;
    case "mysql":
      Object.assign(server, {
        environment: { MARIADB_ROOT_PASSWORD_FILE: `/run/secrets/${admin}` },
        volumes: [`${volume}/var/lib/mysql`],
        healthcheck: { test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"], ...HEALTH },
      });
      // Passwords Berth makes are URL-safe base64: nothing in them needs quoting in SQL.
      script = [
        `export MYSQL_PWD=${run(admin ?? "")}`,
        ...provider.claims.flatMap((claim) => [
          `pw=${run(claim.passwordSecret ?? "")}`,
          `mariadb -h ${provider.service} -u root <<SQL`,
          `CREATE DATABASE IF NOT EXISTS \\\`${claim.database}\\\`;`,
          `CREATE USER IF NOT EXISTS '${claim.user}'@'%' IDENTIFIED BY '$pw';`,
          `ALTER USER '${claim.user}'@'%' IDENTIFIED BY '$pw';`,
          `GRANT ALL ON \\\`${claim.database}\\\`.* TO '${claim.user}'@'%';`,
          "SQL",
        ]),
      ];
      break;
    case "redis":
      Object.assign(server, {
        command: ["/bin/sh", "-c", `exec redis-server --appendonly yes --requirepass ${run(admin ?? "")}`],
        volumes: [`${volume}/data`],
        healthcheck: {
          test: ["CMD-SHELL", `REDISCLI_AUTH=${run(admin ?? "")} redis-cli -h 127.0.0.1 ping | grep -q PONG`],
          ...HEALTH,
        },
      });
      // ACL users live in the server's memory: the init runs again on every `docker compose up`.
      script = [
        `export REDISCLI_AUTH=${run(admin ?? "")}`,
        ...provider.claims.map(
          (claim) =>
            `redis-cli -h ${provider.service} ACL SETUSER ${claim.user} reset on ">$(cat /run/secrets/${claim.passwordSecret})" '~*' '&*' +@all`,
        ),
      ];
      break;
    case "memcached":
      Object.assign(server, {
        healthcheck: {
          test: [
            "CMD-SHELL",
            `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${provider.port} && printf "version\\r\\n" >&3 && head -n 1 <&3 | grep -q VERSION'`,
          ],
          ...HEALTH,
        },
      });
      break;
  }
  const services: Record<string, Record<string, unknown>> = {
    [provider.service]: { ...server, ...(admin ? { secrets: [admin] } : {}) },
  };
  if (script.length === 0)
    return { services, secrets, claimDone: { service: provider.service, condition: "service_healthy" } };
  const init = `${provider.service}-init`;
  services[init] = {
    image: provider.image,
    labels,
    entrypoint: ["/bin/sh", "-c", ["set -eu", ...script].join("\n")],
    secrets: [...secrets],
    restart: "no",
    depends_on: { [provider.service]: { condition: "service_healthy" } },
  };
  return { services, secrets, claimDone: { service: init, condition: "service_completed_successfully" } };
}
