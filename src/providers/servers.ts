import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import type { ProviderKind } from "../manifest/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import { freePort, portTaken } from "../processes/index.js";
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
import { serversRoot, templatesRoot } from "./places.js";
import { runAsFor } from "./run-as.js";
import {
  clearStaleLocks,
  leftoverServer,
  portTakenBy,
  serverFailed,
  stopLeftover,
} from "./server-leftover.js";
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

const secret = () => randomBytes(18).toString("base64url");

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
      port: known?.port ?? (await freePort()),
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
    // A Redis claim made before claims had their own users gets one now.
    const current = !(known?.kind === "redis" && known.grant.user === undefined);
    if (known && known.server === server.key && current) {
      if (!this.#claims.get(key)) this.#setClaim(key, known);
      return known;
    }
    const grant: ClaimGrant = {};
    if (server.kind === "postgres" || server.kind === "mysql") {
      const name = (database ?? consumer.name).replace(/[^a-z0-9_]/g, "_").slice(0, 48);
      grant.database = name;
      grant.user = name;
      const passwordKey = `${server.key}#${name}`;
      grant.password = this.#passwords.get(passwordKey) ?? secret();
      this.#passwords.set(passwordKey, grant.password);
    } else if (server.kind === "redis") {
      const claims = [
        ...Object.values(this.#claims.all()),
        ...Object.values(readKept(server.dataDir)?.claims ?? {}),
      ];
      const taken = new Set(
        claims.filter((claim) => claim.server === server.key).map((claim) => claim.grant.db),
      );
      const db = Array.from({ length: 64 }, (_, index) => index).find((index) => !taken.has(index));
      if (db === undefined)
        throw new BerthError("BERTH_REDIS_FULL", "all 64 Redis databases of this state folder are claimed", {
          hint: "`berth destroy <codebase> --yes` frees a codebase's claims (deleting its data)",
        });
      grant.db = known?.server === server.key ? (known.grant.db ?? db) : db;
      grant.user = `${consumer.name}-db${grant.db}`;
      grant.password = secret();
    } else {
      grant.prefix = `${consumer.name}:`;
    }
    const generation = known?.server === server.key ? known.generation : 0;
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
  async start(record: ServerRecord, registry: Registry): Promise<SupervisedProcess> {
    const running = registry.get(record.dataDir, "server");
    if (running && ["starting", "ready", "backoff"].includes(running.state)) {
      await running.whenReady();
      return running;
    }
    const provider = PROVIDER_IMPLEMENTATIONS[record.kind];
    const installation = {
      kind: record.kind,
      version: record.version,
      bin: record.bin,
      source: record.source,
    };
    let current = record;
    // A data folder removed by hand is made again; one Berth has no record of is never initialised over.
    const initialised = record.initialised && hasData(record.dataDir);
    if (!initialised && !record.initialised && hasData(record.dataDir)) throw notOurs(record);
    if (!initialised) {
      const adminPassword = await provider.initialise(
        installation,
        record.dataDir,
        record.adminPassword,
        this.runAs,
        templatesRoot(this.runAs),
      );
      current = {
        ...record,
        adminPassword: adminPassword || record.adminPassword,
        epoch: secret(),
        initialised: true,
      };
      this.#setServer(current);
    }
    keepServer(current);
    const leftover = leftoverServer(current);
    if (leftover) await stopLeftover(leftover.pid);
    else if (await portTaken(current.port)) {
      const taken = portTakenBy(current);
      if (taken) throw taken;
    }
    clearStaleLocks(current.dataDir);
    provider.prepare?.(current, this.runAs);
    const { argv, env } = provider.command(installation, current, this.runAs);
    const process = registry.add({
      codebase: record.key,
      process: "server",
      dir: current.dataDir,
      command: argv,
      env: { PATH: globalThis.process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...env },
      port: current.port,
      probe: undefined,
      ping: () => provider.ping(current),
      runAs: this.runAs,
      // A server that cannot start says why at once, rather than after five tries.
      restart: "no",
      stopTimeoutMs: 10_000,
      probeIntervalMs: 100,
      probeTimeoutMs: 60_000,
      startPeriodMs: 0,
      hash: record.key,
      requires: [],
      // A server may log a statement that carries a password (a failed CREATE ROLE): never kept in its log.
      secrets: [
        current.adminPassword,
        ...Object.values(this.#claims.all()).flatMap((claim) =>
          claim.server === record.key && claim.grant.password ? [claim.grant.password] : [],
        ),
      ],
    });
    this.#running.set(record.key, process);
    process.start();
    try {
      await process.whenReady();
    } catch (error) {
      throw serverFailed(current, process, error);
    }
    return process;
  }
}

/** Data Berth has no record of: never initialised over, never guessed at. */
function notOurs(record: ServerRecord): BerthError {
  return new BerthError(
    "BERTH_DATA_EXISTS",
    `${record.key} has a data folder Berth has no record of, and will not initialise over it: ${record.dataDir}`,
    {
      hint: `if its data is not needed, remove it on purpose (rm -rf ${record.dataDir}), then run the command again`,
    },
  );
}
