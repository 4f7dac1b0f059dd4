import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "../src/api/validate.js";
import { berth } from "./helpers/cli.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

const initIn = (files: Record<string, string>, args: string[] = []) => {
  const cwd = writeTree(files);
  const home = tempDir();
  const result = berth(["init", ...args], { cwd, home });
  return { cwd, home, result, manifest: () => readFileSync(join(cwd, "berth.yaml"), "utf8") };
};

describe("berth init", () => {
  it("detects a Node project: name, install, migrate, seed, web process, database clients", async () => {
    const { cwd, home, result, manifest } = initIn({
      "package.json": JSON.stringify({
        name: "@acme/Catalog_API",
        scripts: { start: "node server.js", migrate: "node-pg-migrate up", seed: "node seed.js" },
        dependencies: { pg: "^8", ioredis: "^5" },
      }),
      "package-lock.json": "{}",
      "migrations/001.sql": "",
    });
    expect(result).toSucceed();
    expect(result.stdout).toContain("wrote berth.yaml for codebase `catalog-api` from package.json");
    const text = manifest();
    expect(text).toContain("name: catalog-api");
    expect(text).toContain("  db: { provider: postgres }");
    expect(text).toContain("  cache: { provider: redis }");
    expect(text).toContain('  DATABASE_URL: "${requires.db.url}"');
    expect(text).toContain(
      "  install: { run: npm ci, inputs: [package-lock.json], creates: [node_modules] }",
    );
    expect(text).toContain('  migrate: { run: npm run migrate, inputs: ["migrations/**"] }');
    expect(text).toContain("    run: npm run start");
    expect(text).toMatch(/^# berth\.yaml/);
    const { manifests } = await validate({ root: cwd, home });
    expect(manifests.map((entry) => entry.name)).toEqual(["catalog-api"]);
  });

  it("detects a Django project", async () => {
    const { cwd, home, manifest } = initIn({
      "manage.py": "#!/usr/bin/env python\n",
      "requirements.txt": "Django==4.2\npsycopg2-binary==2.9\nredis==5\n",
    });
    const text = manifest();
    expect(text).toContain("  migrate: { run: python manage.py migrate --noinput");
    expect(text).toContain('run: "python manage.py runserver 127.0.0.1:${processes.web.port}"');
    expect(text).toContain("ready: { http: / }");
    expect(text).toContain("db: { provider: postgres }");
    await validate({ root: cwd, home });
  });

  it("reads a Procfile: processes, and the release line as migrate", async () => {
    const { cwd, home, manifest } = initIn({
      Procfile:
        "web: gunicorn app:app --bind 127.0.0.1:$PORT\nworker: celery -A app worker\nrelease: ./migrate.sh\n",
    });
    const text = manifest();
    expect(text).toContain("  worker:\n    run: celery -A app worker\n");
    expect(text).toContain("    port: auto\n    ready: { tcp: true }");
    expect(text).toContain("  migrate: { run: ./migrate.sh }");
    // Berth sets PORT of each process with a port, as foreman does
    expect(text).not.toContain("PORT:");
    await validate({ root: cwd, home });
  });

  it("--from docker-compose.yml is `berth import`: a draft per codebase, providers with their versions", async () => {
    const { cwd, home, result } = initIn(
      {
        "docker-compose.yml":
          "services:\n  mysql:\n    image: mysql:8.0\n  memcache:\n    image: memcached:1.6\n  app:\n    image: acme/app\n    command: python manage.py runserver 0.0.0.0:8000\n    ports: ['18000:8000']\n    depends_on: [mysql, memcache]\n",
      },
      ["--from", "docker-compose.yml"],
    );
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(join(cwd, "berth-import", "app", "berth.yaml"), "utf8");
    expect(text).toContain('  mysql: { provider: mysql, version: "8.0" }');
    expect(text).toContain('  memcache: { provider: memcached, version: "1" }');
    expect(text).toContain('  app:\n    run: "python manage.py runserver 0.0.0.0:8000"\n    port: 8000\n');
    await validate({ root: join(cwd, "berth-import", "app"), home });
  });

  it("writes a commented skeleton for an unknown folder, which validates", async () => {
    const { cwd, home, manifest } = initIn({ "README.md": "hello" });
    expect(manifest()).toContain("# processes:");
    await validate({ root: cwd, home });
  });

  it("never overwrites an existing berth.yaml", () => {
    const { cwd, home } = initIn({ "berth.yaml": "name: mine\n" });
    const again = berth(["init"], { cwd, home });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists; berth init never overwrites it");
    expect(readFileSync(join(cwd, "berth.yaml"), "utf8")).toBe("name: mine\n");
  });

  it("a broken package.json is a clear error, and nothing is written", () => {
    const { cwd, result } = initIn({ "package.json": "{ not json" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot read the project files");
    expect(() => readFileSync(join(cwd, "berth.yaml"))).toThrow();
  });
});
