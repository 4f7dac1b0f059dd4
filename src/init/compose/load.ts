import { dirname, resolve } from "node:path";
import type { Location } from "../../errors/index.js";
import type { YamlPath } from "../../manifest/index.js";
import { type CanonicalService, canonicalService } from "./canonical.js";
import { type ComposeFile, invalid, isMapping, readComposeFile } from "./compose-file.js";
import { readDotenv } from "./dotenv.js";
import type { Variables } from "./interpolate.js";
import { mergeService } from "./merge.js";

/** A service after overlays and `extends`, with where it was first written (for positioned messages). */
export interface LoadedService {
  name: string;
  spec: CanonicalService;
  locate(path: YamlPath): Location;
  /** The services it extends, as `file#service`. */
  extended: string[];
}

export interface LoadedCompose {
  /** The project folder: the first file's, where `.env` is read and relative paths start. */
  dir: string;
  files: string[];
  services: Map<string, LoadedService>;
  /** Variables used but set nowhere: Compose replaces them with "" and warns. */
  unset: Map<string, Location>;
}

/** Reads a Compose file and its overlays (`-f base -f override`) into one model, as `docker compose` does. */
export function loadCompose(files: string[], environment: NodeJS.ProcessEnv): LoadedCompose {
  const absoluteFiles = files.map((file) => resolve(file));
  const dir = dirname(absoluteFiles[0] ?? ".");
  const dotenv = readDotenv(resolve(dir, ".env"));
  // the environment wins over .env, as in Compose; in environment values it is read when Berth runs
  const project: Variables = (name) => (environment[name] === undefined ? dotenv.get(name) : undefined);
  const host: Variables = (name) => environment[name];
  const cache = new Map<string, ComposeFile>();
  const read = (file: string) => {
    let found = cache.get(file);
    if (!found) {
      found = readComposeFile(file, project, host);
      cache.set(file, found);
    }
    return found;
  };
  const services = new Map<string, LoadedService>();
  for (const file of absoluteFiles) {
    const compose = read(file);
    for (const name of compose.services.keys()) {
      const resolved = resolveService(compose, name, dir, read, []);
      const before = services.get(name);
      services.set(
        name,
        before
          ? {
              ...before,
              spec: mergeService(before.spec, resolved.spec),
              extended: [...before.extended, ...resolved.extended],
            }
          : { name, ...resolved },
      );
    }
  }
  const unset = new Map<string, Location>();
  for (const compose of cache.values())
    for (const [name, location] of compose.unset) if (!unset.has(name)) unset.set(name, location);
  return { dir, files: absoluteFiles, services, unset };
}

function resolveService(
  compose: ComposeFile,
  name: string,
  dir: string,
  read: (file: string) => ComposeFile,
  chain: string[],
): Omit<LoadedService, "name"> {
  const path = ["services", name];
  const locate = (sub: YamlPath) => compose.source.locate([...path, ...sub]);
  const problem = (sub: YamlPath, message: string) => invalid(compose.source, [...path, ...sub], message);
  const raw = compose.services.get(name);
  if (raw === undefined)
    throw invalid(compose.source, ["services"], `there is no service \`${name}\` in ${compose.file}`);
  const spec = canonicalService(raw, dir, problem);
  const extension = spec.extends;
  if (extension === undefined) return { spec, locate, extended: [] };
  if (!isMapping(extension) || typeof extension.service !== "string")
    throw problem(["extends"], "`extends` names a service: `extends: { file: other.yml, service: name }`");
  const baseFile =
    typeof extension.file === "string" ? resolve(dirname(compose.file), extension.file) : compose.file;
  const key = `${baseFile}#${extension.service}`;
  if (chain.includes(key))
    throw problem(["extends"], `\`extends\` goes round in a circle: ${[...chain, key].join(" → ")}`);
  let base: ComposeFile;
  try {
    base = baseFile === compose.file ? compose : read(baseFile);
  } catch (error) {
    if (
      (error as { code?: string }).code === "BERTH_IMPORT_INVALID" &&
      !(error as { location?: unknown }).location
    )
      throw problem(
        ["extends", "file"],
        `the file \`${String(extension.file)}\` that \`extends\` names cannot be read`,
      );
    throw error;
  }
  if (!base.services.has(extension.service))
    throw problem(
      ["extends", "service"],
      `\`extends\` names the service \`${extension.service}\`, which ${baseFile} does not have`,
    );
  const parent = resolveService(base, extension.service, dirname(baseFile), read, [...chain, key]);
  const { extends: _, ...own } = spec;
  return { spec: mergeService(parent.spec, own), locate, extended: [key, ...parent.extended] };
}
