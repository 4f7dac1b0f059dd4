/** The ports a scheme means when its URL names none. */
const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  ftp: 21,
  mysql: 3306,
  mariadb: 3306,
  postgres: 5432,
  postgresql: 5432,
  redis: 6379,
  rediss: 6379,
  memcached: 11211,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
  kafka: 9092,
  bolt: 7687,
  neo4j: 7687,
  smtp: 25,
  ldap: 389,
};

export interface ExternalAddress {
  url: string;
  scheme: string;
  host: string;
  port: number;
  /** The URL's password, decoded: masked like every secret. */
  password?: string;
}

export type ExternalUrlProblem = { message: string; hint: string };

/** Where an `external: { url }` points: its host and port, the scheme's default port when it has none. */
export function parseExternalUrl(text: string): ExternalAddress | ExternalUrlProblem {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return {
      message: `"${text}" is not a URL`,
      hint: 'write it as <scheme>://<host>:<port>, e.g. "http://127.0.0.1:9200" or "mysql://127.0.0.1:3307"',
    };
  }
  const authority = text.slice(scheme.length + 3).split(/[/?#]/)[0] ?? "";
  const written = /:(\d+)$/.exec(authority.slice(authority.lastIndexOf("@") + 1))?.[1];
  if (written !== undefined && (Number(written) < 1 || Number(written) > 65535)) {
    return { message: `port ${written} is out of range`, hint: "a port is a number from 1 to 65535" };
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return {
      message: `"${text}" is not a URL`,
      hint: "check its host and port; characters such as @ : / in a user or password are written %40 %3A %2F",
    };
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") return { message: `"${text}" names no host`, hint: 'add one, e.g. "127.0.0.1"' };
  const port = written !== undefined ? Number(written) : DEFAULT_PORTS[scheme];
  if (port === undefined) {
    return {
      message: `"${text}" names no port and \`${scheme}\` has no default Berth knows`,
      hint: `add the port, e.g. "${scheme}://${host}:<port>"`,
    };
  }
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  return { url: text, scheme, host, port, ...(password ? { password } : {}) };
}

export function isUrlProblem(value: ExternalAddress | ExternalUrlProblem): value is ExternalUrlProblem {
  return "message" in value;
}

/** An external's URL as shown in plans, graphs and waits: a password in it hidden. */
export function shownUrl(url: string): string {
  return url.replace(/(:\/\/[^:/@\s]+:)([^@\s]+)(@)/, "$1****$3");
}
