import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { validate } from "../src/api/validate.js";
import { bin, type Row, timeCommand, timeMs } from "./harness.js";

/** A generated organisation of `size` codebases: each requires up to three later ones and postgres. */
export function generateWorkspace(size: number): { dir: string; root: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-validate-"));
  const files: string[] = [];
  for (let i = 0; i < size; i++) {
    const requires = [i + 1, i + 7, i + 31].filter((j) => j < size);
    const text = `name: service-${i}
requires:
  db: { provider: postgres, database: service_${i} }
  cache: { provider: redis }
${requires.map((j) => `  dep${j}: { path: ../service-${j} }`).join("\n")}
env:
  DATABASE_URL: \${requires.db.url}
  REDIS_URL: \${requires.cache.url}
  PORT: \${processes.web.port}
${requires.map((j) => `  DEP${j}_URL: \${requires.dep${j}.url}`).join("\n")}
tasks:
  install: { run: npm ci, inputs: [package-lock.json] }
  migrate: { run: npm run migrate, inputs: ["migrations/**"] }
  seed: { run: node seed.js }
processes:
  web:
    run: node server.js --port \${processes.web.port}
    port: auto
    ready: { http: /healthz, timeout: 30s }
    restart: on-failure
  worker:
    run: [node, worker.js]
    ready: { log: "worker started" }
exports:
  url: http://127.0.0.1:\${processes.web.port}
`;
    const folder = join(dir, `service-${i}`);
    mkdirSync(folder);
    writeFileSync(join(folder, "berth.yaml"), text);
    files.push(join(folder, "berth.yaml"));
  }
  const root = join(dir, "root");
  mkdirSync(root);
  writeFileSync(
    join(root, "berth.yaml"),
    `name: root\nrequires:\n${Array.from({ length: size }, (_, i) => `  s${i}: { path: ../service-${i} }`).join("\n")}\n`,
  );
  files.push(join(root, "berth.yaml"));
  return { dir, root, files };
}

export async function benchValidate(options: { quick: boolean }): Promise<Row[]> {
  const size = 200;
  const runs = options.quick ? 3 : 10;
  const { dir, root, files } = generateWorkspace(size);
  const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
  try {
    const env = { ...process.env, BERTH_HOME: home };
    const cli = await timeCommand(runs, process.execPath, [bin, "validate"], { cwd: root, env });
    const nodeStart = await timeCommand(runs, process.execPath, ["-e", "0"]);
    const library = await timeMs(runs, () => validate({ root, home }));
    // The floor: what any validator must do at least, reading and parsing every file.
    const parseOnly = await timeMs(runs, () => {
      for (const file of files) parseDocument(readFileSync(file, "utf8"));
    });
    return [
      {
        benchmark: `validate ${size} codebases, CLI (target < 1000 ms)`,
        berth: cli,
        floor: nodeStart + parseOnly,
        unit: "ms",
        target: "< 1000 ms",
      },
      { benchmark: `validate ${size} codebases, in process`, berth: library, floor: parseOnly, unit: "ms" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}
