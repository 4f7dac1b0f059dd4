import { existsSync } from "node:fs";
import { BerthError } from "../errors/index.js";
import { loadManifest, manifestPath } from "../manifest/index.js";
import { resolveWorkspace, TrustStore } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/**
 * `berth trust [path]`: trust one manifest as it is now, or with no path every manifest of the
 * workspace. Returns the manifests newly trusted.
 */
export async function trust(options: WorkspaceOptions & { path?: string }): Promise<string[]> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const store = new TrustStore(home);
  let manifests: { file: string; hash: string }[];
  if (options.path !== undefined) {
    const file = manifestPath(options.path);
    if (!existsSync(file))
      throw new BerthError("BERTH_MANIFEST_MISSING", `no manifest at ${file}`, {
        hint: "give the path of a berth.yaml or of its folder",
      });
    manifests = [loadManifest(file)];
  } else {
    const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
    manifests = [...workspace.codebases.values()].map((codebase) => codebase.loaded);
  }
  const fresh = manifests.filter(({ file, hash }) => !store.isTrusted(file, hash));
  store.trust(fresh.map(({ file, hash }) => ({ file, hash })));
  return fresh.map(({ file }) => file);
}

/** Throws unless every manifest of the planned codebases is trusted; what `up`, `run` and `exec` call first. */
export function assertTrusted(
  home: string,
  manifests: readonly { file: string; hash: string }[],
  trustAll: boolean,
): void {
  new TrustStore(home).assertTrusted(manifests, trustAll || process.env.BERTH_TRUST === "1");
}
