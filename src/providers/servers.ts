import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { ProviderKind } from "../manifest/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import { freePort } from "../processes/index.js";
import { JsonTable, TaskCache } from "../state/index.js";
import type { Codebase } from "../workspace/index.js";
import { chooseInstallation, PROVIDER_IMPLEMENTATIONS } from "./implementations.js";
import {
  hasData,
  type KeptBesideData,
  keepClaim,
  keepServer,
  keepTask,
  keptFile,
  readKept,
} from "./kept-beside-data.js";
import { serversRoot } from "./places.js";
import { runAsFor } from "./run-as.js";
import { startServer } from "./server-start.js";
import type { ClaimGrant, Installation, RunAs, ServerInfo } from "./types.js";

/** A server as the state folder remembers it: its port and data survive restarts. */
export interface ServerRecord extends ServerInfo {
  key: string;
  bin: string;
  source: string;
  /** Set when the data folder is created: a recreated server is new data, and tasks run again. */
  epoch: string;
  initialised: boolean;
}

/** A provider claim as remembered: its grant, and the generation of its data (bumped by a reset). */
export interface ClaimRecord {
  server: string;
  kind: ProviderKind;
  grant: ClaimGrant;
  generation: number;
  /** The server epoch in which the claim was made: the same epoch needs no second round of SQL. */
  madeIn?: string;
}

/** A new random secret: a password or an epoch. */
export const secret = () => randomBytes(18).toString("base64url");

/**
 * Provider servers: one per state folder, kind and major version, shared by every codebase that claims
 * it. Ports, passwords and claims are decided before anything starts, so env can be rendered up front.
 */
export class Servers {
  readonly #home: string;
  readonly #servers: JsonTable<ServerRecord>;
  readonly #claims: JsonTable<ClaimRecord>;
  readonly #passwords: JsonTable<string>;
  /** Running servers by key: a claim password made while one runs is hidden in its log from then on. */
  readonly #running = new Map<string, SupervisedProcess>();
  #runAs: RunAs | undefined | null = null;

  constructor(home: string) {
    this.#home = home;
    this.#servers = new JsonTable(home, "servers.json");
    this.#claims = new JsonTable(home, "provider-claims.json");
    this.#passwords = new JsonTable(home, "passwords.json");
  }

  get runAs(): RunAs | undefined {
    if (this.#runAs === null) this.#runAs = runAsFor();
    return this.#runAs;
  }

  /** The server for a requirement, chosen and remembered (not started). */
  async decide(kind: ProviderKind, version: string | undefined): Promise<ServerRecord> {
    const installation: Installation = chooseInstallation(kind, version);
    const key = `${kind}@${installation.version}`;
    const dataDir = join(serversRoot(this.#home, this.runAs), key);
    // A state folder removed while the data lived on: the data is adopted with what is kept beside it.
    const kept = this.#servers.get(key) || !hasData(dataDir) ? undefined : readKept(dataDir);
    const known = this.#servers.get(key) ?? kept?.server;
    if (known && known.bin === installation.bin && known.dataDir === dataDir) {
      if (kept) this.#adopt(kept);
      return known;
    }
    const record: ServerRecord = {
      key,
      kind,
      version: installation.version,
      bin: installation.bin,
      source: installation.source,
      port: known?.port ?? (await freePort(this.allServers().map((server) => server.port))),
      dataDir,
      adminPassword: known?.adminPassword ?? secret(),
      epoch: known?.epoch ?? secret(),
      initialised: (known?.initialised ?? false) && hasData(dataDir),
    };
    this.#setServer(record);
    return record;
  }

  /** Data whose state folder was removed: its server, and the tasks done on it, as kept beside it. */
  #adopt(kept: KeptBesideData): void {
    this.#setServer(kept.server);
    const tasks = new TaskCache(this.#home);
    for (const [dirAndTask, key] of Object.entries(kept.tasks ?? {})) {
      const at = dirAndTask.lastIndexOf("#");
      tasks.remember(dirAndTask.slice(0, at), dirAndTask.slice(at + 1), key);
    }
  }

  /** A task of a codebase finished on the data it claims: kept beside that data too (see `#adopt`). */
  keepTaskRecord(dir: string, task: string, key: string): void {
    for (const [claimKey, claim] of Object.entries(this.#claims.all())) {
      const server = claimKey.startsWith(`${dir}#`) && this.#servers.get(claim.server);
      if (server) keepTask(server, `${dir}#${task}`, key);
    }
  }

  #setServer(record: ServerRecord): void {
    this.#servers.set(record.key, record);
    keepServer(record);
  }

  #setClaim(key: string, record: ClaimRecord): void {
    this.#claims.set(key, record);
    const server = this.#servers.get(record.server);
    if (server) keepClaim(server, key, record);
  }

  /** The claim of a consumer's requirement, decided once and kept. */
  decideClaim(
    consumer: Codebase,
    alias: string,
    server: ServerRecord,
    database: string | undefined,
  ): ClaimRecord {
    const key = `${consumer.dir}#${alias}`;
    const known = this.#claims.get(key) ?? readKept(server.dataDir)?.claims[key];
    const provider = PROVIDER_IMPLEMENTATIONS[server.kind];
    const current = !(known && PROVIDER_IMPLEMENTATIONS[known.kind].outdated?.(known.grant));
    if (known && known.server === server.key && current) {
      if (!this.#claims.get(key)) this.#setClaim(key, known);
      return known;
    }
    const sameServer = known?.server === server.key;
    const grant = provider.grant({
      consumer: consumer.name,
      database,
      previous: sameServer ? known?.grant : undefined,
      others: () =>
        [...Object.values(this.#claims.all()), ...Object.values(readKept(server.dataDir)?.claims ?? {})]
          .filter((claim) => claim.server === server.key)
          .map((claim) => claim.grant),
      password: (name) => {
        const passwordKey = `${server.key}#${name}`;
        const password = this.#passwords.get(passwordKey) ?? secret();
        this.#passwords.set(passwordKey, password);
        return password;
      },
      secret,
    });
    const generation = sameServer && known ? known.generation : 0;
    const record: ClaimRecord = { server: server.key, kind: server.kind, grant, generation };
    if (grant.password) this.#running.get(server.key)?.hide(grant.password);
    this.#setClaim(key, record);
    return record;
  }

  allClaims(): Record<string, ClaimRecord> {
    return this.#claims.all();
  }

  allServers(): ServerRecord[] {
    return Object.values(this.#servers.all());
  }

  /** The claim is no more (its data was dropped): a new one is a new password, so tasks run again. */
  forgetClaim(consumerDir: string, alias: string): void {
    const key = `${consumerDir}#${alias}`;
    const claim = this.#claims.get(key);
    if (!claim) return;
    this.#claims.delete(key);
    if (claim.grant.user) this.#passwords.delete(`${claim.server}#${claim.grant.user}`);
    const server = this.#servers.get(claim.server);
    if (server) keepClaim(server, key, undefined);
  }

  /** Forgets a stopped server and deletes its data folder. */
  forgetServer(key: string): void {
    const server = this.#servers.get(key);
    if (!server) return;
    rmSync(server.dataDir, { recursive: true, force: true });
    rmSync(keptFile(server.dataDir), { force: true });
    this.#servers.delete(key);
  }

  claimOf(consumerDir: string, alias: string): ClaimRecord | undefined {
    return this.#claims.get(`${consumerDir}#${alias}`);
  }

  server(key: string): ServerRecord | undefined {
    return this.#servers.get(key);
  }

  markMade(consumerDir: string, alias: string, epoch: string): void {
    const key = `${consumerDir}#${alias}`;
    const claim = this.#claims.get(key);
    if (claim) this.#setClaim(key, { ...claim, madeIn: epoch });
  }

  bumpGeneration(consumerDir: string, alias: string): void {
    const key = `${consumerDir}#${alias}`;
    const claim = this.#claims.get(key);
    if (claim) this.#setClaim(key, { ...claim, generation: claim.generation + 1 });
  }

  /** Starts the server (initialising its data the first time) unless it runs; resolves once it answers. */
  start(record: ServerRecord, registry: Registry, signal?: AbortSignal): Promise<SupervisedProcess> {
    return startServer(this, record, registry, signal);
  }

  /** Remembers a server's record, in the state folder and beside its data. */
  rememberServer(record: ServerRecord): void {
    this.#setServer(record);
  }

  /** A server process that runs now: a claim password made from now on is hidden in its log. */
  track(key: string, process: SupervisedProcess): void {
    this.#running.set(key, process);
  }

  /** The passwords of every claim on a server: never kept in its log. */
  claimPasswords(serverKey: string): string[] {
    return Object.values(this.#claims.all()).flatMap((claim) =>
      claim.server === serverKey && claim.grant.password ? [claim.grant.password] : [],
    );
  }
}
