import type { Probe } from "../manifest/index.js";
import { shownUrl } from "../manifest/index.js";
import type { Codebase } from "../workspace/index.js";
import type { Environment } from "./environment.js";

/** An external requirement as its waits and checks use it: where it is, its probe rendered, how it reads. */
export interface ExternalReach {
  /** "search (external http://127.0.0.1:9200)", a URL password hidden. */
  label: string;
  probe: Probe | undefined;
  host: string;
  port: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function externalReach(environment: Environment, codebase: Codebase, alias: string): ExternalReach {
  const requirement = codebase.loaded.manifest.requires?.[alias];
  if (requirement === undefined || !("external" in requirement))
    throw new Error(`bug: ${codebase.name}.${alias} is no external`);
  const exports = environment.externalExports(codebase.name, alias);
  const ready = requirement.ready;
  const probe =
    ready?.exec === undefined
      ? ready
      : {
          ...ready,
          exec: environment.command(codebase.name, ["requires", alias, "ready", "exec"], ready.exec),
        };
  return {
    label: `${alias} (external ${shownUrl(exports.url ?? "")})`,
    probe,
    host: exports.host ?? "",
    port: Number(exports.port),
    cwd: codebase.dir,
    env: { ...environment.env(codebase.name), ...prefixed(exports) },
  };
}

/** An exec probe reads the external's values as BERTH_EXTERNAL_URL, _HOST, _PORT and so on. */
function prefixed(exports: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(exports))
    env[`BERTH_EXTERNAL_${key.toUpperCase().replace(/-/g, "_")}`] = value;
  return env;
}
