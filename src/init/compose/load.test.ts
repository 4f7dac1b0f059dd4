import { cpSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../../test/helpers/temp.js";
import { userErrorsOf } from "../../errors/index.js";
import type { Port, Volume } from "./canonical.js";
import { loadCompose } from "./load.js";

const SHOP = resolve(import.meta.dirname, "../../../test/fixtures/compose/shop");
const shop = (environment: NodeJS.ProcessEnv = {}) => {
  const dir = tempDir();
  cpSync(SHOP, dir, { recursive: true });
  return {
    dir,
    compose: loadCompose(
      [join(dir, "docker-compose.yml"), join(dir, "docker-compose.override.yml")],
      environment,
    ),
  };
};

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return userErrorsOf(error).map((problem) => ({
      code: problem.code,
      message: problem.message,
      at: problem.location ? `${problem.location.line}:${problem.location.col}` : undefined,
    }));
  }
  throw new Error("expected an error");
};

describe("reading Compose files as `docker compose -f base -f override` does", () => {
  it("overlays: command replaced, ports appended, environment merged key by key (list and map forms)", () => {
    const { compose } = shop();
    const api = compose.services.get("api")?.spec ?? {};
    expect(api.command).toEqual(["node", "--inspect", "server.js", "--port", "8080"]);
    expect((api.ports as Port[]).map((port) => `${port.published}:${port.target}`)).toEqual([
      "18080:8080",
      "19229:9229",
    ]);
    expect(api.environment).toMatchObject({ DATABASE_HOST: "db", RELEASE: "overridden", DEBUG: "api:*" });
    const worker = compose.services.get("worker")?.spec ?? {};
    expect(worker.environment).toEqual({ DATABASE_HOST: "db", QUEUE: "default" });
    expect(worker.build).toMatchObject({ args: { NODE_VERSION: "20" } });
    expect(Object.keys(worker.depends_on as object)).toEqual(["api", "db"]);
  });

  it("interpolation: the environment first, then .env; ${X-d} and ${X:-d} defaults; $$ a literal $", () => {
    const fromDotenv = shop().compose.services.get("api")?.spec.environment;
    expect(fromDotenv).toMatchObject({
      GREETING: "from-dotenv",
      DATABASE_PASSWORD: "devpass",
      LITERAL: "${NOT_A_VAR}",
    });
    const fromEnvironment = shop({ GREETING: "from-env", DB_PASSWORD: "pw" }).compose.services.get(
      "api",
    )?.spec;
    expect(fromEnvironment?.environment).toMatchObject({ GREETING: "from-env", DATABASE_PASSWORD: "pw" });
    const db = shop({ DB_PASSWORD: "" }).compose.services.get("db")?.spec;
    expect(db?.environment).toEqual({ POSTGRES_PASSWORD: "devpass" });
  });

  it("extends: another file's service and one of the same file; volumes unique by target, paths from each file", () => {
    const { dir, compose } = shop();
    const web = compose.services.get("web");
    expect(web?.spec).toMatchObject({
      image: "node:20",
      working_dir: "/app",
      stdin_open: true,
      command: "npm run dev",
    });
    expect(web?.spec.environment).toEqual({ NODE_ENV: "development", TZ: "UTC", API_URL: "http://api:8080" });
    expect(web?.extended).toEqual([`${join(dir, "common.yml")}#node`]);
    const admin = compose.services.get("admin");
    expect(
      ((admin?.spec.volumes ?? []) as Volume[]).map((volume) => `${volume.source}:${volume.target}`),
    ).toEqual([`${join(dir, "admin")}:/app`, "node_modules:/app/node_modules"]);
    expect(admin?.spec.environment).toMatchObject({ API_URL: "http://api:8080/admin", TZ: "UTC" });
    expect(admin?.extended).toEqual([
      `${join(dir, "docker-compose.yml")}#web`,
      `${join(dir, "common.yml")}#node`,
    ]);
  });

  it("a malformed file is a positioned error with a hint, never a stack trace", () => {
    const dir = tempDir();
    const file = join(dir, "docker-compose.yml");
    writeFileSync(file, "services:\n  web:\n    image: node\n     ports: [1]\n");
    const problems = problemsOf(() => loadCompose([file], {}));
    expect(problems[0]).toMatchObject({ code: "BERTH_YAML_SYNTAX", at: "3:12" });
    writeFileSync(file, "services:\n  web: [node]\n");
    expect(problemsOf(() => loadCompose([file], {}))).toEqual([
      { code: "BERTH_IMPORT_INVALID", message: "the service `web` must be a mapping of its keys", at: "2:8" },
    ]);
    writeFileSync(file, "services:\n  web:\n    image: node\n    ports: ['eighty']\n");
    expect(problemsOf(() => loadCompose([file], {}))[0]).toMatchObject({
      code: "BERTH_IMPORT_INVALID",
      at: "4:13",
    });
    writeFileSync(file, "services:\n  web:\n    extends: { file: missing.yml, service: base }\n");
    expect(problemsOf(() => loadCompose([file], {}))[0]).toMatchObject({
      code: "BERTH_IMPORT_INVALID",
      at: "3:22",
    });
    writeFileSync(file, "services:\n  web:\n    extends: { service: web }\n");
    expect(problemsOf(() => loadCompose([file], {}))[0]?.message).toContain("goes round in a circle");
    writeFileSync(file, "services:\n  web:\n    image: ${TAG:?pass TAG}\n");
    expect(problemsOf(() => loadCompose([file], {}))).toEqual([
      { code: "BERTH_IMPORT_VARIABLE", message: "TAG must be set: pass TAG", at: "3:12" },
    ]);
    expect(() => loadCompose([join(dir, "nope.yml")], {})).toThrow(/cannot read/);
  });

  it("reads `<<: *anchor` merge keys, as Compose files use them", () => {
    const dir = tempDir();
    const file = join(dir, "docker-compose.yml");
    writeFileSync(
      file,
      "x-base: &base\n  image: node:20\n  tty: true\nservices:\n  web:\n    <<: *base\n    command: npm start\n",
    );
    expect(loadCompose([file], {}).services.get("web")?.spec).toEqual({
      image: "node:20",
      tty: true,
      command: "npm start",
    });
  });

  it("a key named __proto__ is refused at its place", () => {
    const dir = tempDir();
    const file = join(dir, "docker-compose.yml");
    writeFileSync(file, "services:\n  web:\n    __proto__: { polluted: true }\n");
    const problems = problemsOf(() => loadCompose([file], {}));
    expect(problems[0]).toMatchObject({ code: "BERTH_IMPORT_INVALID", at: "3:16" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
