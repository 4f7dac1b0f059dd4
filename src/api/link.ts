import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { BerthError } from "../errors/index.js";
import { loadManifest, manifestPath, unknownNameError } from "../manifest/index.js";
import { Links, resolveWorkspace, type Workspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

/**
 * `berth link <alias> <dir>`: use a local checkout instead of the declared folder or pinned commit.
 * The alias is a requirement alias of the root manifest or any codebase's name in the workspace.
 */
export async function link(
  options: WorkspaceOptions & { alias: string; dir: string },
): Promise<{ name: string; dir: string }> {
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home });
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
    await resolveWorkspace({ root: options.root, home });
  } catch (error) {
    // A link that breaks the workspace is not kept: the user's running setup stays as it was.
    links.remove(name);
    throw error;
  }
  return { name, dir };
}

/** `berth unlink <alias>`: back to the declared folder or pinned commit. */
export async function unlink(options: WorkspaceOptions & { alias: string }): Promise<{ name: string }> {
  const home = homeOf(options);
  const rootFile = manifestPath(options.root);
  const links = new Links(home, rootFile);
  const rootManifest = loadManifest(rootFile).manifest;
  const requirement = rootManifest.requires?.[options.alias];
  let name = options.alias;
  if (requirement && !("provider" in requirement)) {
    name = codebaseNamed(await resolveWorkspace({ root: options.root, home }), options.alias);
  }
  if (!links.remove(name)) {
    const linked = Object.keys(links.all());
    throw new BerthError("BERTH_NOT_LINKED", `\`${options.alias}\` is not linked in this workspace`, {
      hint: linked.length > 0 ? `linked here: ${linked.join(", ")}` : "nothing is linked here",
    });
  }
  return { name };
}

export function listLinks(options: WorkspaceOptions): Record<string, string> {
  return new Links(homeOf(options), manifestPath(options.root)).all();
}

function codebaseNamed(workspace: Workspace, alias: string): string {
  if (workspace.codebases.has(alias)) return alias;
  const entry = workspace.dependencies.find(
    (dependency) => dependency.from === workspace.root.name && dependency.alias === alias,
  );
  if (entry?.target.kind === "codebase") return entry.target.name;
  if (entry?.target.kind === "provider") {
    throw new BerthError(
      "BERTH_LINK_PROVIDER",
      `\`${alias}\` is a ${entry.target.provider} requirement; only codebases can be linked`,
    );
  }
  const known = [...workspace.codebases.keys()].filter((name) => name !== workspace.root.name);
  throw unknownNameError({
    what: "codebase or requirement",
    name: alias,
    known,
    code: "BERTH_UNKNOWN_CODEBASE",
  });
}
