import { BerthError } from "../errors/index.js";
import { loadManifest, manifestPath } from "../manifest/index.js";
import { Links, resolveWorkspace } from "../workspace/index.js";
import { codebaseNamed } from "./support/codebase-named.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/** `berth unlink <alias>`: back to the declared folder or pinned commit. */
export async function unlink(options: WorkspaceOptions & { alias: string }): Promise<{ name: string }> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const rootFile = manifestPath(options.root);
  const links = new Links(home, rootFile);
  const rootManifest = loadManifest(rootFile).manifest;
  const requirement = rootManifest.requires?.[options.alias];
  let name = options.alias;
  if (requirement && !("provider" in requirement)) {
    name = codebaseNamed(
      await resolveWorkspace({ root: options.root, home, signal: options.signal }),
      options.alias,
    );
  }
  if (!links.remove(name)) {
    const linked = Object.keys(links.all());
    throw new BerthError("BERTH_NOT_LINKED", `\`${options.alias}\` is not linked in this workspace`, {
      hint: linked.length > 0 ? `linked here: ${linked.join(", ")}` : "nothing is linked here",
    });
  }
  return { name };
}
