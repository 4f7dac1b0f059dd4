import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import type { ProviderKind } from "../manifest/index.js";
import {
  type ClaimGrant,
  chooseInstallation,
  type Installation,
  PROVIDER_IMPLEMENTATIONS,
  type RunAs,
  runAsFor,
  type ServerInfo,
  serversRoot,
  templatesRoot,
} from "../providers/index.js";
import { JsonTable } from "../state/index.js";
import type { Codebase } from "../workspace/index.js";
import { freePort } from "./ports.js";
import type { Registry } from "./registry.js";
import type { SupervisedProcess } from "./supervised-process.js";

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
    const known = this.#servers.get(key);
    if (known && known.bin === installation.bin) return known;
    const record: ServerRecord = {
      key,
      kind,
      version: installation.version,
      bin: installation.bin,
      source: installation.source,
      port: known?.port ?? (await freePort()),
      dataDir: join(serversRoot(this.#home, this.runAs), key),
      adminPassword: known?.adminPassword ?? secret(),
      epoch: known?.epoch ?? secret(),
      initialised: false,
    };
    this.#servers.set(key, record);
    return record;
  }

  /** The claim of a consumer's requirement, decided once and kept. */
  decideClaim(
    consumer: Codebase,
    alias: string,
    server: ServerRecord,
    database: string | undefined,
  ): ClaimRecord {
    const key = `${consumer.dir}#${alias}`;
    const known = this.#claims.get(key);
    if (known && known.server === server.key) return known;
    const grant: ClaimGrant = {};
    if (server.kind === "postgres" || server.kind === "mysql") {
      const name = (database ?? consumer.name).replace(/[^a-z0-9_]/g, "_").slice(0, 48);
      grant.database = name;
      grant.user = name;
      const passwordKey = `${server.key}#${name}`;
      grant.password = this.#passwords.get(passwordKey) ?? secret();
      this.#passwords.set(passwordKey, grant.password);
    } else if (server.kind === "redis") {
      const taken = new Set(
        Object.values(this.#claims.all())
          .filter((claim) => claim.server === server.key)
          .map((claim) => claim.grant.db),
      );
      const db = Array.from({ length: 64 }, (_, index) => index).find((index) => !taken.has(index));
      if (db === undefined)
        throw new BerthError("BERTH_REDIS_FULL", "all 64 Redis databases of this state folder are claimed", {
          hint: "`berth down --volumes` frees the claims of a workspace",
        });
      grant.db = db;
    } else {
      grant.prefix = `${consumer.name}:`;
    }
    const record: ClaimRecord = { server: server.key, kind: server.kind, grant, generation: 0 };
    this.#claims.set(key, record);
    return record;
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
    if (claim) this.#claims.set(key, { ...claim, madeIn: epoch });
  }

  bumpGeneration(consumerDir: string, alias: string): void {
    const key = `${consumerDir}#${alias}`;
    const claim = this.#claims.get(key);
    if (claim) this.#claims.set(key, { ...claim, generation: claim.generation + 1 });
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
    if (!record.initialised) {
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
      this.#servers.set(record.key, current);
    }
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
        ...Object.entries(this.#passwords.all()).flatMap(([key, password]) =>
          key.startsWith(`${record.key}#`) ? [password] : [],
        ),
      ],
    });
    process.start();
    await process.whenReady();
    return process;
  }
}
