import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plan } from "../src/api/plan.js";
import { userErrorsOf } from "../src/errors/index.js";
import { planUp, runPlan, selectCodebases, tasksOnly } from "../src/graph/index.js";
import { resolveWorkspace } from "../src/workspace/index.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

const org = {
  "web/berth.yaml": `name: web
requires:
  catalog: { path: ../catalog }
  accounts: { path: ../accounts }
processes:
  site: { run: node site.js, port: auto, ready: { http: / } }
`,
  "catalog/berth.yaml": `name: catalog
requires:
  db: { provider: postgres, version: 15 }
  cache: { provider: redis }
  accounts: { path: ../accounts }
env:
  CLIENT_ID: \${requires.accounts.client_id}
tasks:
  install: { run: npm ci }
  migrate: { run: npm run migrate }
  seed: { run: npm run seed }
processes:
  api: { run: node api.js, port: auto, ready: { http: /healthz } }
  worker: { run: node worker.js, ready: { log: started } }
`,
  "accounts/berth.yaml": `name: accounts
requires:
  db: { provider: postgres, version: 15 }
tasks:
  migrate: { run: npm run migrate }
  claim: { run: node register.js, outputs: [client_id] }
processes:
  api: { run: node api.js, port: auto, ready: { tcp: true } }
exports:
  url: http://127.0.0.1:\${processes.api.port}
`,
  "admin/berth.yaml": `name: admin
requires:
  accounts: { path: ../accounts }
processes:
  ui: { run: node ui.js }
`,
};

async function orgWorkspace(root = "web") {
  const dir = writeTree(org);
  return resolveWorkspace({ root: join(dir, root), home: tempDir() });
}

describe("selection", () => {
  it.each([
    [[], ["accounts", "catalog", "web"]],
    [["catalog"], ["accounts", "catalog"]],
    [["accounts"], ["accounts"]],
    [
      ["accounts", "catalog"],
      ["accounts", "catalog"],
    ],
  ])("asking for %j plans %j", async (asked, expected) => {
    const workspace = await orgWorkspace();
    expect([...selectCodebases(workspace, asked)].sort()).toEqual(expected);
  });

  it("a codebase outside the workspace is an error with a suggestion", async () => {
    const workspace = await orgWorkspace();
    const errors = (() => {
      try {
        selectCodebases(workspace, ["catalgo"]);
        return [];
      } catch (error) {
        return userErrorsOf(error);
      }
    })();
    expect(errors.map((error) => [error.code, error.hint])).toEqual([
      ["BERTH_UNKNOWN_CODEBASE", "did you mean `catalog`?"],
    ]);
  });
});

describe("the plan of `up`", () => {
  it("orders server → claim → install → migrate → seed → start → ready, and waits for requirements", async () => {
    const { steps } = planUp(await orgWorkspace());
    const index = (id: string) => {
      const found = steps.findIndex((step) => step.id === id);
      expect(found, id).toBeGreaterThanOrEqual(0);
      return found;
    };
    const expectOrder = (a: string, b: string) => expect(index(a), `${a} before ${b}`).toBeLessThan(index(b));
    expectOrder("server:postgres@15", "claim:catalog/db");
    expectOrder("server:redis", "claim:catalog/cache");
    expectOrder("claim:catalog/db", "migrate:catalog");
    expectOrder("claim:catalog/accounts", "install:catalog");
    // install needs no server: it starts at once, beside the servers.
    expect(steps.find((step) => step.id === "install:catalog")?.after).toEqual(["claim:catalog/accounts"]);
    expectOrder("install:catalog", "migrate:catalog");
    expectOrder("migrate:catalog", "seed:catalog");
    expectOrder("ready:accounts/api", "claim:catalog/accounts");
    expectOrder("claim:catalog/accounts", "migrate:catalog");
    expectOrder("seed:catalog", "start:catalog/api");
    expectOrder("start:catalog/api", "ready:catalog/api");
    expectOrder("ready:catalog/api", "start:web/site");
    expectOrder("ready:catalog/worker", "start:web/site");
    expect(steps.filter((step) => step.kind === "server").map((step) => step.id)).toEqual([
      "server:postgres@15",
      "server:redis",
    ]);
    // Waits implied by other waits are left out: catalog's readiness already implies accounts'.
    expect(steps.find((step) => step.id === "start:web/site")?.after.sort()).toEqual([
      "ready:catalog/api",
      "ready:catalog/worker",
    ]);
    // accounts registers a client only for consumers that read its claim outputs.
    expect(steps.some((step) => step.id === "claim:web/accounts")).toBe(false);
    expect(steps.some((step) => step.codebase === "admin")).toBe(false);
  });

  it("plans only the transitive closure of what was asked", async () => {
    const { steps, codebases } = planUp(await orgWorkspace(), ["accounts"]);
    expect(codebases).toEqual(["accounts"]);
    expect(steps.map((step) => step.id)).toEqual([
      "server:postgres@15",
      "claim:accounts/db",
      "migrate:accounts",
      "start:accounts/api",
      "ready:accounts/api",
    ]);
  });

  it("a task asked by name is a step of kind task that names it, after the codebase's claims", async () => {
    const workspace = await orgWorkspace();
    const migrate = tasksOnly(planUp(workspace, ["catalog"]), workspace, ["migrate"], ["catalog"]);
    expect(migrate.steps.at(-1)).toEqual({
      id: "task:catalog/migrate",
      kind: "task",
      codebase: "catalog",
      task: "migrate",
      after: ["claim:catalog/db", "claim:catalog/cache", "claim:catalog/accounts"],
    });
    const run = runPlan(workspace, ["catalog"], { task: "seed" });
    expect(
      run.steps.filter((step) => step.kind === "seed" || step.kind === "task").map((step) => step.id),
    ).toEqual(["task:catalog/seed"]);
  });

  it("reports untrusted manifests and linked codebases", async () => {
    const dir = writeTree(org);
    const result = await plan({ root: join(dir, "web"), home: tempDir() });
    expect(result.untrusted.map((file) => file.slice(dir.length + 1)).sort()).toEqual([
      "accounts/berth.yaml",
      "catalog/berth.yaml",
      "web/berth.yaml",
    ]);
    expect(result.linked).toEqual([]);
  });
});

/** A random acyclic organisation: codebase i may require codebase j only when j > i. */
const randomOrg = fc.integer({ min: 1, max: 7 }).chain((size) =>
  fc.tuple(
    fc.constant(size),
    fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 2 }),
    fc.array(
      fc.record({
        tasks: fc.subarray(["install", "migrate", "seed"]),
        processes: fc.nat(2),
        db: fc.boolean(),
      }),
      {
        minLength: size,
        maxLength: size,
      },
    ),
  ),
);

describe("plans of random organisations", () => {
  it("every step comes after what it waits for, and only asked codebases and their requirements appear", async () => {
    await fc.assert(
      fc.asyncProperty(randomOrg, fc.nat(6), async ([size, pairs, shapes], askedIndex) => {
        const edges = new Set(pairs.filter(([a, b]) => a < b).map(([a, b]) => `${a}>${b}`));
        const files: Record<string, string> = {};
        for (let i = 0; i < size; i++) {
          const shape = shapes[i] ?? { tasks: [], processes: 0, db: false };
          const requires = [...edges]
            .filter((edge) => edge.startsWith(`${i}>`))
            .map((edge) => `  c${edge.split(">")[1]}: { path: ../c${edge.split(">")[1]} }`);
          if (shape.db) requires.push("  db: { provider: postgres }");
          const tasks = shape.tasks.map((task) => `  ${task}: { run: "true" }`);
          const processes = Array.from({ length: shape.processes }, (_, p) => `  p${p}: { run: "sleep 1" }`);
          files[`c${i}/berth.yaml`] = [
            `name: c${i}`,
            ...(requires.length ? ["requires:", ...requires] : []),
            ...(tasks.length ? ["tasks:", ...tasks] : []),
            ...(processes.length ? ["processes:", ...processes] : []),
          ].join("\n");
        }
        const root = writeTree({
          ...files,
          "root/berth.yaml": `name: root\nrequires:\n${Array.from({ length: size }, (_, i) => `  c${i}: { path: ../c${i} }`).join("\n")}\n`,
        });
        const workspace = await resolveWorkspace({ root: join(root, "root"), home: tempDir() });
        const asked = `c${askedIndex % size}`;
        const { steps, codebases } = planUp(workspace, [asked]);
        const reachable = new Set([asked]);
        for (let changed = true; changed; ) {
          changed = false;
          for (const edge of edges) {
            const [a, b] = edge.split(">");
            if (reachable.has(`c${a}`) && !reachable.has(`c${b}`)) {
              reachable.add(`c${b}`);
              changed = true;
            }
          }
        }
        expect(codebases.sort()).toEqual([...reachable].sort());
        const seen = new Set<string>();
        for (const step of steps) {
          for (const dependency of step.after)
            expect(seen.has(dependency), `${step.id} after ${dependency}`).toBe(true);
          if (step.codebase) expect(reachable.has(step.codebase)).toBe(true);
          seen.add(step.id);
        }
        for (const edge of edges) {
          const [a, b] = edge.split(">");
          const starts = steps.filter((step) => step.kind === "start" && step.codebase === `c${a}`);
          const ready = steps.filter((step) => step.kind === "ready" && step.codebase === `c${b}`);
          for (const start of starts)
            for (const r of ready) expect(steps.indexOf(r)).toBeLessThan(steps.indexOf(start));
        }
      }),
      { numRuns: 40 },
    );
  });
});
