import { programs } from "./runtime.js";

/** The test HTTP server (fixtures/programs/server.js; its behaviour is set by env). */
export const server = `node ${programs}/server.js`;

/** One `key: value` line per entry, values in YAML's flow style. */
type Section = Record<string, string>;

interface Sections {
  requires?: Section;
  env?: Section;
  tasks?: Section;
  processes?: Section;
  exports?: Section;
}

/** A berth.yaml: `name`, then each section given, in the order manifests are written. */
export function manifest(name: string, sections: Sections): string {
  const lines = [`name: ${name}`];
  for (const key of ["requires", "env", "tasks", "processes", "exports"] as const) {
    const entries = Object.entries(sections[key] ?? {});
    if (entries.length > 0) lines.push(`${key}:`, ...entries.map(([entry, value]) => `  ${entry}: ${value}`));
  }
  return `${lines.join("\n")}\n`;
}

/** A codebase with a postgres claim, `db`, in $DATABASE_URL, and these tasks and processes. */
export function postgresCodebase(name: string, sections: Pick<Sections, "tasks" | "processes">): string {
  return manifest(name, {
    requires: { db: "{ provider: postgres }" },
    env: { DATABASE_URL: `\${requires.db.url}` },
    ...sections,
  });
}

/** A `migrate` task: every migrations/*.sql through psql, in order, stopping at the first error. */
export const sqlMigrations = `{ run: "for f in migrations/*.sql; do psql \\"$DATABASE_URL\\" -q -v ON_ERROR_STOP=1 -f $f || exit 1; done", inputs: ["migrations/**"] }`;

/** web: one quick HTTP process, `site`. */
export const oneProcess = {
  "web/berth.yaml": manifest("web", {
    env: { PORT: `\${processes.site.port}` },
    processes: { site: `{ run: ${server}, port: auto, ready: { http: / } }` },
  }),
};

/**
 * api: an HTTP process, `http`, and a claim task that gives each consumer `token=t-<consumer>` after running
 * `claimFirst`; `tasks` come before the claim.
 */
export function tokenApi(tasks: Section, claimFirst = ""): string {
  return manifest("api", {
    env: { PORT: `\${processes.http.port}` },
    tasks: {
      ...tasks,
      claim: `{ run: '${claimFirst}echo "token=t-$BERTH_CONSUMER" > "$BERTH_OUTPUT"', outputs: [token] }`,
    },
    processes: { http: `{ run: ${server}, port: auto, ready: { http: / } }` },
  });
}

/** web: a consumer of api (../api) that reads its claim's token in $TOKEN, with these tasks. */
export function tokenWeb(tasks: Section): string {
  return manifest("web", {
    requires: { api: "{ path: ../api }" },
    env: { TOKEN: `\${requires.api.token}` },
    tasks,
  });
}

/** web requires api; api's server listens only after a delay, so web must wait for it. */
export const twoTier = (apiEnv = 'LISTEN_AFTER_MS: "400"') => ({
  "api/berth.yaml": `name: api
env:
  PORT: \${processes.http.port}
  NAME: api
  ${apiEnv}
processes:
  http: { run: ${server}, port: auto, ready: { http: /healthz } }
exports:
  url: http://127.0.0.1:\${processes.http.port}
`,
  "web/berth.yaml": `name: web
requires:
  api: { path: ../api }
env:
  API_URL: \${requires.api.url}
  PORT: \${processes.site.port}
  NAME: web
processes:
  site: { run: ${server}, port: auto, ready: { http: / } }
`,
});
