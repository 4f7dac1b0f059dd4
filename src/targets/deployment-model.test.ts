import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp.js";
import { writeTree } from "../../test/helpers/workspace.js";
import { BerthErrors } from "../errors/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { deploymentModel } from "./deployment-model.js";

const examples = join(import.meta.dirname, "..", "..", "examples");

async function exampleModel() {
  const workspace = await resolveWorkspace({ root: join(examples, "web"), home: tempDir() });
  return deploymentModel(workspace, ["web"]);
}

describe("the deployment model", () => {
  it("interpolates env for the network: provider and process hosts are service names, ports the container's", async () => {
    const model = await exampleModel();
    const catalog = model.codebases.find((codebase) => codebase.name === "catalog");
    const api = catalog?.processes.find((process) => process.name === "api");
    expect(api?.service).toBe("catalog-api");
    expect(api?.env.ACCOUNTS_URL).toEqual(["http://accounts-api:8080"]);
    expect(api?.env.PORT).toEqual(["8080"]);
    expect(api?.env.HOST).toEqual(["0.0.0.0"]);
    expect(api?.env.DATABASE_URL).toEqual([
      "postgres://catalog:",
      { secret: "CATALOG__DB__PASSWORD" },
      "@postgres-15:5432/catalog",
    ]);
    expect(api?.env.ACCOUNTS_CLIENT_SECRET).toEqual([
      { claimOutput: { alias: "accounts", key: "client_secret" } },
    ]);
    expect(model.secrets.map((secret) => secret.name)).toContain("CATALOG__DB__PASSWORD");
    expect(JSON.stringify(model)).not.toMatch(/127\.0\.0\.1/);
  });

  it("keeps every wait of up as an order edge, and the claim of a consumer", async () => {
    const model = await exampleModel();
    const migrate = model.codebases
      .find((c) => c.name === "catalog")
      ?.tasks.find((t) => t.name === "migrate");
    expect(migrate?.after).toContain("claim:catalog/db");
    expect(migrate?.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(model.codebaseClaims).toMatchObject([
      {
        consumer: "catalog",
        provider: "accounts",
        service: "accounts-claim-catalog",
        outputs: ["client_id", "client_secret"],
      },
    ]);
    expect(model.codebaseClaims[0]?.env.BERTH_CONSUMER).toEqual(["catalog"]);
    const site = model.codebases.find((c) => c.name === "web")?.processes[0];
    // Waits another wait implies are left out (catalog waits for accounts), as in `berth plan`.
    expect(site?.after).toEqual(["ready:catalog/api", "ready:catalog/worker"]);
    expect(model.providers).toMatchObject([{ service: "postgres-15", image: "postgres:15" }]);
    expect(model.notes.join("\n")).toContain("catalog/worker: a `log` readiness probe");
  });

  it("refuses a codebase with processes and no container, naming the file, the place and the key", async () => {
    const dir = writeTree({
      "berth.yaml": "name: bare\nprocesses:\n  web: { run: node server.js, port: 3000 }\n",
    });
    const workspace = await resolveWorkspace({ root: dir, home: tempDir() });
    let caught: unknown;
    try {
      deploymentModel(workspace);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BerthErrors);
    const [error] = (caught as BerthErrors).errors;
    expect(error?.code).toBe("BERTH_NO_CONTAINER");
    expect(error?.message).toContain("container: { build: . }");
    expect(error?.location).toEqual({ file: join(dir, "berth.yaml"), line: 1, col: 1 });
    expect(error?.hint).toContain("container:");
  });
});
