import { BerthError } from "../../errors/index.js";
import { unknownNameError } from "../../manifest/index.js";
import { knownClaims, PROVIDER_IMPLEMENTATIONS, Servers } from "../../providers/index.js";
import { resolveWorkspace, unknownCodebaseError } from "../../workspace/index.js";

export async function claimFor(root: string, home: string, target: string) {
  const workspace = await resolveWorkspace({ root, home });
  const [name = "", alias] = target.split("/");
  if (!workspace.codebases.has(name)) throw unknownCodebaseError(workspace, name);
  const requires = workspace.dependencies.filter((dependency) => dependency.from === name);
  const declared = requires.flatMap((dependency) =>
    dependency.target.kind === "provider" && PROVIDER_IMPLEMENTATIONS[dependency.target.provider].holdsData
      ? [dependency.alias]
      : [],
  );
  if (declared.length === 0) {
    const listed = requires.map(({ alias, target }) =>
      target.kind === "provider"
        ? `${alias} (${target.provider})`
        : target.kind === "external"
          ? `${alias} (external)`
          : `${alias} (codebase ${target.name})`,
    );
    throw new BerthError("BERTH_NO_CLAIM", `${name} has no database claims`, {
      hint: `${listed.length > 0 ? `its requires: ${listed.join(", ")}` : `${name} requires nothing`}; a database claim is a ${databaseKinds()} requirement`,
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

/** The kinds whose claims hold data, as a sentence: "postgres, mysql or redis". */
function databaseKinds(): string {
  const kinds = Object.values(PROVIDER_IMPLEMENTATIONS).flatMap((provider) =>
    provider.holdsData ? [provider.kind] : [],
  );
  return kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)}` : (kinds[0] ?? "");
}
