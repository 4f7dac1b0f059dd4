import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parse, stringify } from "yaml";
import { bin } from "./harness.js";

/** Open edX's devstack Compose files, kept outside the project (AGPL-3.0 data). */
export const fixtures = join(import.meta.dirname, "..", "..", "shared", "fixtures", "openedx-devstack");

/**
 * The same small server for every process of the devstack: 200 on its PORT, bound to loopback. Python's
 * standard library by default (devstack's services are Django: ~21 MiB RSS each); `BENCH_STANDIN=node` runs
 * Node's (~44 MiB each) instead.
 */
/** Asked of `python3` once: the bench reads the stand-in's program more than once. */
let pythonExecutable: string | undefined;

export const STAND_INS = {
  python: {
    file: "server.py",
    // The interpreter itself: a version manager's shim on PATH (pyenv's) would cost ~100 ms a start.
    get program(): string {
      pythonExecutable ??=
        spawnSync("python3", ["-c", "import sys; print(sys.executable)"], {
          encoding: "utf8",
        }).stdout?.trim() || "python3";
      return pythonExecutable;
    },
    source: `import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Ok(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(os.environ.get("PORT") or 0)), Ok).serve_forever()
`,
  },
  node: {
    file: "server.mjs",
    program: process.execPath,
    source: `import { createServer } from "node:http";
createServer((req, res) => res.end("ok")).listen(Number(process.env.PORT) || 0, "127.0.0.1");
`,
  },
};

export type StandIn = keyof typeof STAND_INS;

export function standIn(): StandIn {
  const chosen = process.env.BENCH_STANDIN ?? "python";
  if (!(chosen in STAND_INS)) throw new Error(`BENCH_STANDIN: ${chosen}? python or node`);
  return chosen as StandIn;
}

interface Requirement {
  path?: string;
  provider?: string;
  version?: string;
  external?: { url: string };
  ready?: Record<string, unknown>;
}

interface Draft {
  name: string;
  requires?: Record<string, Requirement>;
  processes?: Record<string, { run: string; port?: number; ready?: Record<string, unknown> }>;
  tasks?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One imported codebase as the bench runs it. */
export interface Codebase {
  /** Its folder's name, which other drafts' `path` requirements name. */
  name: string;
  dir: string;
  /** Codebases it requires (by name), providers (by kind) and externals (by port). */
  codebases: string[];
  providers: string[];
  externals: number[];
  processes: { name: string; port?: number; ready?: Record<string, unknown> }[];
}

/** The imported devstack, made runnable: its codebases and the ports its externals are reached on. */
export interface Devstack {
  root: string;
  codebases: Map<string, Codebase>;
  externals: number[];
  /** The stand-in every process runs: program and script. */
  server: { program: string; script: string; kind: StandIn };
  /** What `berth import` printed, and how long it took. */
  report: string;
  importMs: number;
  /** What was changed to run it here, beyond replacing the commands. */
  changes: string[];
}

/**
 * Imports the devstack Compose files (base, `-host` and `-themes` overlays, as devstack's Makefile merges
 * them; `-watchers` is an opt-in of its own) into `dir/drafts`, then makes every draft runnable: each
 * process runs the stand-in server, tasks are removed, MySQL versions are left to the installed server (MariaDB here
 * serves `mysql` claims; no MariaDB reports 5.7 or 8.0). A root codebase `devstack` requires them all.
 */
export function importDevstack(dir: string): Devstack {
  const compose = join(dir, "compose");
  cpSync(fixtures, compose, { recursive: true });
  for (const file of readdirSync(compose)) chmodSync(join(compose, file), 0o644);
  const kind = standIn();
  const server = { program: STAND_INS[kind].program, script: join(dir, STAND_INS[kind].file), kind };
  writeFileSync(server.script, STAND_INS[kind].source);
  const drafts = join(dir, "drafts");
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      bin,
      "import",
      "docker-compose.yml",
      "-f",
      "docker-compose-host.yml",
      "-f",
      "docker-compose-themes.yml",
      "-o",
      drafts,
    ],
    { cwd: compose, encoding: "utf8", env: { ...process.env, DEVSTACK_WORKSPACE: dir } },
  );
  const importMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`berth import failed: ${result.stderr}${result.stdout}`);
  const changes = new Set<string>();
  const codebases = new Map<string, Codebase>();
  const externals = new Set<number>();
  for (const folder of readdirSync(drafts)) {
    const file = join(drafts, folder, "berth.yaml");
    const draft = parse(readFileSync(file, "utf8")) as Draft;
    const codebase: Codebase = {
      name: folder,
      dir: join(drafts, folder),
      codebases: [],
      providers: [],
      externals: [],
      processes: [],
    };
    for (const requirement of Object.values(draft.requires ?? {})) {
      if (requirement.path) codebase.codebases.push(requirement.path.replace(/^\.\.\//, ""));
      if (requirement.provider) {
        if (requirement.provider === "mysql" && requirement.version !== undefined) {
          changes.add(`mysql version ${requirement.version} → any (MariaDB ${mariadbVersion()} serves)`);
          delete requirement.version;
        }
        if (!codebase.providers.includes(requirement.provider)) codebase.providers.push(requirement.provider);
      }
      if (requirement.external) {
        const port = Number(new URL(requirement.external.url).port);
        codebase.externals.push(port);
        externals.add(port);
      }
    }
    for (const [name, process_] of Object.entries(draft.processes ?? {})) {
      process_.run = `${server.program} ${server.script}`;
      codebase.processes.push({ name, port: process_.port, ready: process_.ready });
    }
    if (draft.tasks) {
      changes.add(`tasks removed: ${Object.keys(draft.tasks).join(", ")}`);
      delete draft.tasks;
    }
    writeFileSync(file, stringify(draft));
    codebases.set(folder, codebase);
  }
  const root = join(drafts, "devstack");
  mkdirSync(root);
  writeFileSync(
    join(root, "berth.yaml"),
    stringify({
      name: "devstack",
      requires: Object.fromEntries([...codebases.keys()].map((name) => [name, { path: `../${name}` }])),
    }),
  );
  return {
    root,
    codebases,
    externals: [...externals].sort((a, b) => a - b),
    server,
    report: result.stdout,
    importMs,
    changes: [...changes],
  };
}

/** The codebases `name` needs, itself included, each after what it requires. */
export function closure(devstack: Devstack, name: string): Codebase[] {
  const ordered: Codebase[] = [];
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    const codebase = devstack.codebases.get(current);
    if (!codebase) throw new Error(`the drafts have no codebase ${current}`);
    for (const required of codebase.codebases) visit(required);
    ordered.push(codebase);
  };
  visit(name);
  return ordered;
}

function mariadbVersion(): string {
  const output = spawnSync("mariadbd", ["--version"], { encoding: "utf8" }).stdout ?? "";
  return /Ver (\d+\.\d+)/.exec(output)?.[1] ?? "?";
}
