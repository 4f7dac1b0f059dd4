import pc from "picocolors";
import { watching } from "../api/watching.js";
import { type GlobalOptions, print, printJson } from "./io.js";

/** `berth watch`: per followed codebase, what each interest watches; `--json` gives the object. */
export async function runWatch(options: GlobalOptions, codebases: string[]): Promise<void> {
  const followed = await watching({ root: options.cwd, codebases });
  if (options.json) return printJson(followed ?? null);
  if (!followed)
    return print("nothing is watched: the workspace does not run, or ran with `berth up --no-watch`");
  for (const folder of followed.folders) {
    print(`${pc.bold(folder.codebase)}  ${pc.dim(`${folder.dir}  (quiet ${folder.debounce_ms} ms)`)}`);
    for (const interest of folder.interests) {
      const ignore = interest.ignore.length > 0 ? pc.dim(`  ignoring ${interest.ignore.join(" ")}`) : "";
      print(`  ${describeInterest(interest.id).padEnd(20)} ${interest.globs.join(" ")}${ignore}`);
      print(
        pc.dim(`  ${"".padEnd(20)} watching ${interest.paths.join(" ") || "nothing (no such files yet)"}`),
      );
    }
    for (const paused of folder.paused) print(pc.yellow(`  ${paused.message}`));
  }
  for (const problem of followed.problems) print(pc.yellow(`! ${problem}`));
}

/** `process:api` → `api (restarts)`, `task:migrate` → `migrate (runs)`, `manifest` → `manifest (re-plans)`. */
function describeInterest(id: string): string {
  if (id === "manifest") return "manifest (re-plan)";
  const [kind, name] = id.split(":");
  return kind === "task" ? `${name} (task)` : `${name} (process)`;
}
