import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { ProviderKind } from "../manifest/index.js";
import { addProvider, codebaseName, type Draft, emptyDraft } from "./draft.js";
import { addProcfile, parseProcfile } from "./procfile.js";

/** Reads a folder's stack: Node (package.json), Python/Django (manage.py), a Procfile. Compose files are `berth import`'s. */
export function detect(dir: string, from?: string): Draft {
  const draft = emptyDraft(codebaseName(basename(dir)));
  const read = (file: string) =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : undefined;
  if (from === undefined || from === "package.json") detectNode(draft, dir, read("package.json"));
  if (from === undefined || from === "manage.py")
    detectDjango(draft, dir, read("manage.py"), read("requirements.txt"));
  const procfile =
    from === undefined
      ? read("Procfile")
      : /procfile/i.test(from)
        ? readFileSync(join(dir, from), "utf8")
        : undefined;
  if (procfile !== undefined) detectProcfile(draft, procfile);
  return draft;
}

const NODE_CLIENTS: Record<string, ProviderKind> = {
  pg: "postgres",
  postgres: "postgres",
  "pg-promise": "postgres",
  mysql: "mysql",
  mysql2: "mysql",
  redis: "redis",
  ioredis: "redis",
  memjs: "memcached",
  memcached: "memcached",
};

function detectNode(draft: Draft, dir: string, text: string | undefined): void {
  if (text === undefined) return;
  const pkg = JSON.parse(text) as {
    name?: string;
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  draft.detected.push("package.json");
  if (pkg.name) draft.name = codebaseName(pkg.name);
  const lock = ["package-lock.json", "pnpm-lock.yaml", "yarn.lock"].find((file) =>
    existsSync(join(dir, file)),
  );
  const install =
    lock === "pnpm-lock.yaml"
      ? "pnpm install --frozen-lockfile"
      : lock === "yarn.lock"
        ? "yarn install --frozen-lockfile"
        : lock
          ? "npm ci"
          : "npm install";
  draft.tasks.push({
    name: "install",
    run: install,
    inputs: [lock ?? "package.json"],
    creates: ["node_modules"],
  });
  for (const dependency of Object.keys(pkg.dependencies ?? {})) {
    const provider = NODE_CLIENTS[dependency];
    if (provider) addProvider(draft, provider);
  }
  const scripts = pkg.scripts ?? {};
  for (const task of ["migrate", "seed"]) {
    const script = Object.keys(scripts).find(
      (name) => name === task || name.startsWith(`${task}:`) || name === `db:${task}`,
    );
    if (!script) continue;
    const folder = task === "migrate" ? "migrations" : "seeds";
    draft.tasks.push({
      name: task,
      run: `npm run ${script}`,
      ...(existsSync(join(dir, folder)) ? { inputs: [`${folder}/**`] } : {}),
    });
  }
  const start = ["dev", "start"].find((name) => scripts[name] !== undefined);
  if (start) {
    draft.processes.push({
      name: "web",
      run: `npm run ${start}`,
      port: "auto",
      ready: "tcp",
      comment: "PORT below is the port Berth chose",
    });
    draft.env.push({ name: "PORT", value: "${processes.web.port}" });
  }
}

function detectDjango(
  draft: Draft,
  dir: string,
  managePy: string | undefined,
  requirements: string | undefined,
): void {
  if (managePy === undefined) return;
  draft.detected.push("manage.py");
  if (requirements !== undefined) {
    draft.tasks.push({
      name: "install",
      run: "pip install -r requirements.txt",
      inputs: ["requirements.txt"],
    });
    if (/^psycopg/im.test(requirements)) addProvider(draft, "postgres");
    if (/^(mysqlclient|pymysql)/im.test(requirements)) addProvider(draft, "mysql");
    if (/^(redis|django-redis)/im.test(requirements)) addProvider(draft, "redis");
    if (/^(pymemcache|python-memcached|pylibmc)/im.test(requirements)) addProvider(draft, "memcached");
  }
  draft.tasks.push({
    name: "migrate",
    run: "python manage.py migrate --noinput",
    inputs: ["**/migrations/*.py"],
  });
  const fixtures = existsSync(join(dir, "fixtures")) ? "fixtures/*" : undefined;
  if (fixtures)
    draft.tasks.push({ name: "seed", run: "python manage.py loaddata fixtures/*", inputs: [fixtures] });
  draft.processes.push({
    name: "web",
    run: "python manage.py runserver 127.0.0.1:${processes.web.port}",
    port: "auto",
    ready: "http",
  });
}

function detectProcfile(draft: Draft, text: string): void {
  addProcfile(draft, parseProcfile(text).entries);
}
