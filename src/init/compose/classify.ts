import type { ProviderKind } from "../../manifest/index.js";

/** What a service's image says it is: a server Berth provides, one it does not run, or the team's own code. */
export type Role =
  | { kind: "provider"; provider: ProviderKind; version?: string; image: string }
  | { kind: "external"; what: string; scheme: string; port?: number; image: string }
  | { kind: "native" };

/** Providers by image name (the last path segment, without tag): how many version components matter. */
const PROVIDER_IMAGES: [RegExp, ProviderKind, number][] = [
  [/^(postgres|postgis)$/, "postgres", 1],
  [/^(mysql|mariadb|percona|mysql-server)$/, "mysql", 2],
  [/^(redis|redis-stack-server|valkey)$/, "redis", 1],
  [/^memcached$/, "memcached", 1],
];

/** Servers Berth does not run natively; they become `external` requirements on their published port. */
const EXTERNAL_IMAGES: [RegExp, string, string, number?][] = [
  [/^elasticsearch$/, "Elasticsearch", "http", 9200],
  [/^opensearch$/, "OpenSearch", "http", 9200],
  [/^mongo(db)?$/, "MongoDB", "mongodb", 27017],
  [/^(cp-server|cp-kafka|kafka)$/, "Kafka", "tcp", 9092],
  [/^(cp-zookeeper|zookeeper)$/, "ZooKeeper", "tcp", 2181],
  [/^(cp-schema-registry|schema-registry)$/, "Kafka schema registry", "http", 8081],
  [/^(cp-enterprise-control-center|control-center)$/, "Kafka control center", "http", 9021],
  [/^neo4j$/, "Neo4j", "http", 7474],
  [/^(standalone-)?(chrome|firefox|chromium|edge)(-debug)?$|^selenium/, "browser", "tcp"],
  [/^(rabbitmq|activemq|nats)$/, "message broker", "tcp"],
  [/^(minio|localstack|mailhog|mailpit|smtp4dev)$/, "service", "http"],
  [/^(solr|clickhouse|cassandra|couchdb|influxdb)$/, "database", "http"],
];

export function classify(image: string | undefined): Role {
  if (image === undefined) return { kind: "native" };
  const { name, tag } = parseImage(image);
  for (const [pattern, provider, components] of PROVIDER_IMAGES) {
    if (!pattern.test(name)) continue;
    const version = versionOf(tag, components);
    return { kind: "provider", provider, image, ...(version === undefined ? {} : { version }) };
  }
  for (const [pattern, what, scheme, port] of EXTERNAL_IMAGES) {
    if (pattern.test(name)) return { kind: "external", what, scheme, image, ...(port ? { port } : {}) };
  }
  return { kind: "native" };
}

/** `docker.io/edxops/mysql:5.7@sha256:…` → `{ name: "mysql", tag: "5.7" }`. */
function parseImage(image: string): { name: string; tag: string | undefined } {
  const withoutDigest = image.split("@")[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const last = withoutDigest.slice(lastSlash + 1);
  const colon = last.indexOf(":");
  return colon === -1
    ? { name: last.toLowerCase(), tag: undefined }
    : { name: last.slice(0, colon).toLowerCase(), tag: last.slice(colon + 1) };
}

/** `8.0.33-oracle` → `8.0` (two components), `7.2` → `7` (one); `latest`, `alpine` → none. */
function versionOf(tag: string | undefined, components: number): string | undefined {
  const match = /^(\d+(?:\.\d+)*)/.exec(tag ?? "");
  if (!match?.[1]) return undefined;
  return match[1].split(".").slice(0, components).join(".");
}
