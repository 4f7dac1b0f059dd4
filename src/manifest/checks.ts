import { BerthError } from "../errors/index.js";
import { checkExternals } from "./external-checks.js";
import { type Manifest, PROBE_KINDS, PROVIDER_KINDS, PROVIDERS } from "./schema.js";
import type { YamlSource } from "./source.js";

/** Rules the schema's shape cannot say: combinations of keys within one manifest. */
export function checkCombinations(manifest: Manifest, source: YamlSource): BerthError[] {
  const errors: BerthError[] = checkExternals(manifest, source);
  const invalid = (message: string, path: (string | number)[], hint?: string, key = false) =>
    errors.push(
      new BerthError("BERTH_MANIFEST_INVALID", message, { location: source.locate(path, { key }), hint }),
    );

  for (const [alias, requirement] of Object.entries(manifest.requires ?? {})) {
    if ("provider" in requirement && requirement.database !== undefined) {
      const kind: { database?: true; apart?: string } = PROVIDER_KINDS[requirement.provider];
      if (!kind.database) {
        const withDatabase = PROVIDERS.filter((each) => "database" in PROVIDER_KINDS[each]);
        invalid(
          `\`database\` is a ${withDatabase.join(" and ")} parameter; ${requirement.provider} has none`,
          ["requires", alias, "database"],
          `each codebase gets ${kind.apart} automatically`,
          true,
        );
      }
    }
  }

  for (const [name, task] of Object.entries(manifest.tasks ?? {})) {
    if (task.snapshot !== undefined && name !== "seed") {
      invalid(
        `only the \`seed\` task loads a \`snapshot\`; \`${name}\` is not it`,
        ["tasks", name, "snapshot"],
        "use `baseline` on migrate for a schema to start from",
        true,
      );
    }
    if (task.baseline !== undefined && name !== "migrate") {
      invalid(
        `only the \`migrate\` task has a \`baseline\`; \`${name}\` is not it`,
        ["tasks", name, "baseline"],
        undefined,
        true,
      );
    }
    if (task.run === undefined && task.snapshot === undefined) {
      invalid(`\`tasks.${name}\` is missing \`run\``, ["tasks", name], "add `run: <command>`");
    }
    if (task.run !== undefined && task.snapshot !== undefined) {
      invalid(
        `\`tasks.${name}\` has both \`run\` and \`snapshot\`; it takes one`,
        ["tasks", name],
        "a seed either runs a command or loads a snapshot",
      );
    }
    if (task.outputs !== undefined && name !== "claim") {
      invalid(
        `only the \`claim\` task declares \`outputs\`; \`${name}\` is not it`,
        ["tasks", name, "outputs"],
        undefined,
        true,
      );
    }
  }

  for (const [name, process] of Object.entries(manifest.processes ?? {})) {
    const ready = process.ready;
    if (ready === undefined) continue;
    const kinds = PROBE_KINDS.filter((kind) => ready[kind] !== undefined);
    if (kinds.length !== 1) {
      invalid(
        kinds.length === 0
          ? `\`processes.${name}.ready\` says no probe`
          : `\`processes.${name}.ready\` has ${kinds.length} probes (${kinds.join(", ")}); it takes exactly one`,
        ["processes", name, "ready"],
        "use one of http, tcp, exec, log",
      );
    }
    for (const kind of ["http", "tcp"] as const) {
      if (ready[kind] !== undefined && process.port === undefined) {
        invalid(
          `the ${kind} probe of \`${name}\` needs a port, and the process has none`,
          ["processes", name, "ready", kind],
          "add `port: <number>` or `port: auto` to the process",
          true,
        );
      }
    }
    if (ready.log !== undefined) {
      try {
        new RegExp(ready.log);
      } catch (error) {
        invalid(
          `\`processes.${name}.ready.log\` is not a valid regular expression: ${(error as Error).message}`,
          ["processes", name, "ready", "log"],
          "escape special characters such as ( [ . * with a backslash",
        );
      }
    }
  }
  return errors;
}
