import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Codebase, Devstack } from "./devstack-drafts.js";
import type { FloorGraph, FloorStage } from "./harness.js";

/** A provider's server as `$BERTH_HOME/servers.json` records it. */
interface Server {
  kind: string;
  bin: string;
  port: number;
  dataDir: string;
  adminPassword: string;
}

const asServer = () =>
  process.getuid?.() === 0
    ? {
        uid: Number(execFileSync("id", ["-u", "berth"]).toString()),
        gid: Number(execFileSync("id", ["-g", "berth"]).toString()),
      }
    : {};

type Start = NonNullable<FloorStage["start"]>[number];
type Wait = NonNullable<FloorStage["wait"]>[number];

/**
 * A provider's server started as Berth's provider starts it (src/providers/*), and waited for as Berth pings
 * it. MariaDB's ping (the client over its socket) is a process: it is run once the port listens (MariaDB
 * listens once it accepts connections), as spawning a client every 5 ms took a core from the servers starting.
 */
function serverStage(server: Server): { start: Start; wait: Wait; ping?: Wait } {
  const { port, dataDir } = server;
  if (server.kind === "mysql") {
    const socket = join(dataDir, "mysqld.sock");
    return {
      start: {
        command: server.bin,
        args: [
          "--no-defaults",
          `--datadir=${dataDir}`,
          `--port=${port}`,
          "--bind-address=127.0.0.1",
          `--socket=${socket}`,
          `--pid-file=${join(dataDir, "mysqld.pid")}`,
          "--skip-name-resolve",
          "--innodb-buffer-pool-size=64M",
          "--innodb-flush-log-at-trx-commit=2",
          "--innodb-doublewrite=0",
          "--performance-schema=OFF",
          "--skip-log-bin",
          "--max-connections=100",
        ],
        ...asServer(),
      },
      wait: { tcp: port },
      ping: {
        exec: {
          command: "mariadb",
          args: ["--no-defaults", `--socket=${socket}`, "-u", "root", "-N", "-B", "-e", "SELECT 1"],
        },
      },
    };
  }
  if (server.kind === "redis") {
    return {
      start: {
        command: server.bin,
        // biome-ignore format: one flag and its value a line
        args: [
          "--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir, "--save", "60 1", "--appendonly", "no",
          "--hz", "100", "--databases", "64", "--daemonize", "no", "--protected-mode", "yes",
          "--aclfile", join(dataDir, "users.acl"),
        ],
        ...asServer(),
      },
      wait: { redis: port, auth: ["berth", server.adminPassword] },
    };
  }
  return {
    start: {
      command: server.bin,
      args: ["-l", "127.0.0.1", "-p", String(port), "-U", "0", "-m", "64"],
      ...asServer(),
    },
    wait: { tcp: port },
  };
}

/**
 * The floor: the same servers on the same data, then the same small server for each process, each codebase's
 * processes started once what it requires is ready (as Berth orders them), each waited for with its draft's probe.
 */
export function floorGraph(devstack: Devstack, codebases: Codebase[], home: string): FloorGraph {
  const servers = Object.values(
    JSON.parse(readFileSync(join(home, "servers.json"), "utf8")) as Record<string, Server>,
  ).filter((server) => codebases.some((codebase) => codebase.providers.includes(server.kind)));
  const graph: FloorGraph["graph"] = {};
  for (const server of servers) {
    const stage = serverStage(server);
    graph[`server:${server.kind}`] = { start: [stage.start], wait: [stage.wait] };
    if (stage.ping) graph[`ping:${server.kind}`] = { after: [`server:${server.kind}`], wait: [stage.ping] };
  }
  for (const port of new Set(codebases.flatMap((codebase) => codebase.externals)))
    graph[`external:${port}`] = { wait: [{ tcp: port }] };
  for (const codebase of codebases) {
    const kinds = servers
      .filter((server) => codebase.providers.includes(server.kind))
      .map((server) => server.kind);
    graph[`codebase:${codebase.name}`] = {
      after: [
        ...codebase.codebases.map((name) => `codebase:${name}`),
        ...kinds.map((kind) => (graph[`ping:${kind}`] ? `ping:${kind}` : `server:${kind}`)),
        ...codebase.externals.map((port) => `external:${port}`),
      ],
      start: codebase.processes.map((process_) => ({
        command: devstack.server.program,
        args: [devstack.server.script],
        env: process_.port === undefined ? {} : { PORT: String(process_.port) },
      })),
      wait: codebase.processes.flatMap((process_): Wait[] => {
        if (process_.port === undefined || !process_.ready) return [];
        const http = process_.ready.http;
        return typeof http === "string"
          ? [{ http: { port: process_.port, path: http } }]
          : [{ tcp: process_.port }];
      }),
    };
  }
  return { graph };
}
