import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { BerthError } from "../errors/index.js";
import { MANIFEST_FILE, parseYaml } from "../manifest/index.js";
import { buildDrafts } from "./compose/build.js";
import { loadCompose } from "./compose/load.js";
import type { ImportReport, ServiceReport } from "./compose/model.js";
import { renderCodebase } from "./compose/render.js";
import { codebaseName, emptyDraft } from "./draft.js";
import { addProcfile, parseProcfile } from "./procfile.js";
import { renderDraft } from "./render.js";

export type { ImportReport, ServiceReport } from "./compose/model.js";

export interface ImportOptions {
  /** The Compose file or Procfile. */
  file: string;
  /** Compose overlays, merged over `file` in order (`docker compose -f file -f overlay`). */
  overlays?: string[];
  /** Where the drafts go: `<out>/<codebase>/berth.yaml` (Compose; default `berth-import/` beside the Compose file), `<out>/berth.yaml` (Procfile; default its folder). */
  out?: string;
  force?: boolean;
  /** The environment `${VAR}` reads (before the `.env` beside the Compose file). */
  environment: NodeJS.ProcessEnv;
}

export interface ImportResult {
  kind: "compose" | "procfile";
  out: string;
  written: string[];
  report: ImportReport;
}

/** `berth import`: drafts from a Compose file (with overlays) or a Procfile; writes nothing if any draft would overwrite a berth.yaml. */
export function importFile(options: ImportOptions): ImportResult {
  const file = resolve(options.file);
  if (/procfile/i.test(basename(file))) {
    if ((options.overlays ?? []).length > 0)
      throw new BerthError("BERTH_IMPORT_INVALID", "-f overlays are for Compose files, not a Procfile", {
        hint: `berth import ${options.file}`,
      });
    return importProcfile(file, options);
  }
  return importCompose(file, options);
}

function importCompose(file: string, options: ImportOptions): ImportResult {
  const compose = loadCompose([file, ...(options.overlays ?? [])], options.environment);
  if (compose.services.size === 0)
    throw new BerthError("BERTH_IMPORT_INVALID", `${file} has no services: nothing to import`, {
      location: { file, line: 1, col: 1 },
      hint: "pass the Compose file that defines the services, with its overlays as -f <file>",
    });
  const built = buildDrafts(compose);
  const out = resolve(options.out ?? join(compose.dir, "berth-import"));
  const files = built.drafts.map((draft) => {
    const dir = join(out, draft.name);
    const from = compose.files.map((path) =>
      relative(dirname(out), path).startsWith("..") ? path : relative(dir, path),
    );
    const envFile = draft.envFile === undefined ? undefined : relative(dir, draft.envFile);
    return { draft, file: join(dir, MANIFEST_FILE), text: renderCodebase(draft, from, envFile) };
  });
  for (const { file: target, text } of files) parseYaml(target, text);
  refuseOverwrite(
    files.map((entry) => entry.file),
    options.force ?? false,
  );
  for (const { file: target, text } of files) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  const services = built.services;
  const count = (became: ServiceReport["became"]) =>
    services.filter((service) => service.became === became).length;
  const edges = services.flatMap((service) => service.dependsOn);
  return {
    kind: "compose",
    out,
    written: files.map((entry) => entry.file),
    report: {
      files: compose.files,
      services,
      codebases: built.drafts.map((draft) => ({
        name: draft.name,
        file: join(out, draft.name, MANIFEST_FILE),
        processes: draft.processes.map((process) => process.name),
        ...(draft.source === undefined ? {} : { source: draft.source }),
      })),
      unset: [...compose.unset].map(([name, location]) => ({ name, location })),
      counts: {
        services: services.length,
        providers: count("provider"),
        processes: count("process"),
        externals: count("external"),
        dependsOn: edges.length,
        dependsOnKept: edges.filter((edge) => edge.kept !== "note").length,
        hostsRewritten: built.hostsRewritten,
        todos: built.drafts.flatMap((draft) => draft.processes).filter((process) => process.run === undefined)
          .length,
      },
    },
  };
}

function importProcfile(file: string, options: ImportOptions): ImportResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new BerthError(
      "BERTH_IMPORT_INVALID",
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      {
        hint: "pass the path of a Procfile or Compose file",
        cause: error,
      },
    );
  }
  const dir = dirname(file);
  const out = resolve(options.out ?? dir);
  const { entries, skipped } = parseProcfile(text);
  if (entries.length === 0)
    throw new BerthError("BERTH_IMPORT_INVALID", `${file} has no \`name: command\` line`, {
      location: { file, line: 1, col: 1 },
      hint: "a Procfile has one process a line: `web: node server.js`",
    });
  const draft = emptyDraft(codebaseName(basename(out)));
  addProcfile(draft, entries);
  const target = join(out, MANIFEST_FILE);
  const rendered = renderDraft(draft);
  parseYaml(target, rendered);
  refuseOverwrite([target], options.force ?? false);
  mkdirSync(out, { recursive: true });
  writeFileSync(target, rendered);
  const services: ServiceReport[] = entries.map((entry) => ({
    service: entry.name,
    became: entry.name === "release" ? "task" : "process",
    codebase: draft.name,
    ...(entry.name === "release" ? {} : { process: entry.name }),
    dependsOn: [],
    dropped: [],
    notes: [
      entry.name === "release"
        ? "the release line is the migrate task"
        : /\$\{?PORT\b/.test(entry.run)
          ? "reads $PORT: port auto, and Berth sets PORT"
          : "",
    ].filter(Boolean),
    rewrites: [],
  }));
  for (const line of skipped)
    services.push({
      service: `line ${line}`,
      became: "process",
      dependsOn: [],
      dropped: [`line ${line}: not \`name: command\`, skipped as foreman skips it`],
      notes: [],
      rewrites: [],
    });
  return {
    kind: "procfile",
    out,
    written: [target],
    report: {
      files: [file],
      services,
      codebases: [
        { name: draft.name, file: target, processes: draft.processes.map((process) => process.name) },
      ],
      unset: [],
      counts: {
        services: entries.length,
        providers: 0,
        processes: draft.processes.length,
        externals: 0,
        dependsOn: 0,
        dependsOnKept: 0,
        hostsRewritten: 0,
        todos: 0,
      },
    },
  };
}

function refuseOverwrite(files: string[], force: boolean): void {
  if (force) return;
  const existing = files.filter((file) => existsSync(file));
  if (existing.length === 0) return;
  throw new BerthError(
    "BERTH_INIT_EXISTS",
    `${existing.length === 1 ? `${existing[0]} already exists` : `${existing.length} berth.yaml files already exist (${existing.join(", ")})`}; berth import never overwrites one`,
    {
      hint: "`berth import <file> --force` overwrites them; `berth import <file> -o <dir>` writes the drafts elsewhere",
    },
  );
}
