import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { BerthError } from "../errors/index.js";
import { loadManifest, manifestPath } from "../manifest/index.js";
import { Links, resolveWorkspace } from "../workspace/index.js";
import { codebaseNamed } from "./support/codebase-named.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/**
 * `berth link <alias> <dir>`: use a local checkout instead of the declared folder or pinned commit.
 * The alias is a requirement alias of the root manifest or any codebase's name in the workspace.
 */
export async function link(
  options: WorkspaceOptions & { alias: string; dir: string },
): Promise<{ name: string; dir: string }> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
  const name = codebaseNamed(workspace, options.alias);
  const dir = resolve(options.dir);
  const file = manifestPath(dir);
  if (!existsSync(file)) {
    throw new BerthError("BERTH_LINK_NO_MANIFEST", `${dir} has no berth.yaml`, {
      hint: `link a checkout of \`${name}\`: a folder whose berth.yaml says \`name: ${name}\``,
    });
  }
  const linked = loadManifest(file);
  if (linked.manifest.name !== name) {
    throw new BerthError(
      "BERTH_LINK_MISMATCH",
      `${file} is codebase \`${linked.manifest.name}\`, not \`${name}\``,
      {
        hint: `link a checkout of \`${name}\``,
      },
    );
  }
  const links = new Links(home, workspace.root.loaded.file);
  links.set(name, dir);
  try {
    await resolveWorkspace({ root: options.root, home, signal: options.signal });
  } catch (error) {
    // A link that breaks the workspace is not kept: the user's running setup stays as it was.
    links.remove(name);
    throw error;
  }
  return { name, dir };
}
