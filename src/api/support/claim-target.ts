import { BerthError } from "../../errors/index.js";
import { unknownNameError } from "../../manifest/index.js";
import { knownClaims, Servers } from "../../providers/index.js";
import { resolveWorkspace } from "../../workspace/index.js";

export async function claimFor(root: string, home: string, target: string) {
  const workspace = await resolveWorkspace({ root, home });
  const [name = "", alias] = target.split("/");
  if (!workspace.codebases.has(name))
    throw unknownNameError({ what: "codebase", name, known: workspace.codebases.keys() });
  const requires = workspace.dependencies.filter((dependency) => dependency.from === name);
  const declared = requires.flatMap((dependency) =>
    dependency.target.kind === "provider" && dependency.target.provider !== "memcached"
      ? [dependency.alias]
      : [],
  );
  if (declared.length === 0) {
    const listed = requires.map(({ alias, target }) =>
      target.kind === "provider" ? `${alias} (${target.provider})` : `${alias} (codebase ${target.name})`,
    );
    throw new BerthError("BERTH_NO_CLAIM", `${name} has no database claims`, {
      hint:
        listed.length > 0
          ? `its requires: ${listed.join(", ")}; a database claim is a postgres, mysql or redis requirement`
          : `${name} requires nothing; a database claim is a postgres, mysql or redis requirement`,
    });
  }
  if (alias !== undefined && !declared.includes(alias))
    throw unknownNameError({
      what: "database claim",
      name: alias,
      known: declared,
      within: `codebase ${name}`,
      code: "BERTH_UNKNOWN_CLAIM",
    });
  const chosen = alias ?? (declared.length === 1 ? declared[0] : undefined);
  if (chosen === undefined)
    throw new BerthError("BERTH_USAGE", `${name} has ${declared.length} database claims; say which`, {
      hint: `one of ${declared.map((entry) => `${name}/${entry}`).join(", ")}`,
    });
  const found = knownClaims(new Servers(home), workspace, { codebases: [name] }).get(`${name}#${chosen}`);
  if (!found)
    throw new BerthError("BERTH_NO_CLAIM", `${name}/${chosen} is not claimed yet`, {
      hint: "run `berth up` first: claims are made when the codebase starts",
    });
  return { server: found.server, grant: found.claim.grant };
}
