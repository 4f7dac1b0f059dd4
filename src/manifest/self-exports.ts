import { BerthError } from "../errors/index.js";
import type { InterpolatedField } from "./fields.js";
import { referencesIn } from "./interpolation.js";
import type { YamlSource } from "./source.js";

/**
 * Exports that use each other through `${self.<export>}` must not go round in a circle: none of them
 * could ever be given a value. Each circle is one error, at the first export on it.
 */
export function selfExportCycles(fields: readonly InterpolatedField[], source: YamlSource): BerthError[] {
  const uses = new Map<string, string[]>();
  for (const field of fields) {
    if (field.path[0] !== "exports" || field.path.length !== 2) continue;
    const keys = referencesIn(field.parts).flatMap((part) =>
      part.ref.kind === "self" && part.ref.key !== "dir" ? [part.ref.key] : [],
    );
    uses.set(String(field.path[1]), keys);
  }
  const errors: BerthError[] = [];
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    const start = trail.indexOf(name);
    if (start !== -1) {
      const circle = [...trail.slice(start), name];
      errors.push(
        new BerthError(
          "BERTH_INTERPOLATION",
          `exports ${circle.join(" → ")} use each other in a circle through \${self.…}`,
          {
            location: source.locate(["exports", name]),
            hint: "write one of them without ${self.…}",
          },
        ),
      );
      return;
    }
    for (const used of uses.get(name) ?? []) visit(used, [...trail, name]);
    done.add(name);
  };
  for (const name of uses.keys()) visit(name, []);
  return errors;
}
