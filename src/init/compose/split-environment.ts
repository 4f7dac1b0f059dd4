import type { CodebaseDraft, DraftProcess } from "./model.js";

/**
 * A codebase's env is the union of its processes' environments; a variable its processes set to different
 * values goes on each one's command line instead (env is per codebase in Berth).
 */
export function splitEnvironment(
  draft: CodebaseDraft,
  perProcess: Map<DraftProcess, Map<string, string>>,
): void {
  const all = [...perProcess.values()];
  const keys = new Set(all.flatMap((env) => [...env.keys()]));
  for (const key of keys) {
    const values = new Set(all.map((env) => env.get(key)).filter((value) => value !== undefined));
    if (values.size === 1) draft.env.set(key, [...values][0] as string);
  }
  for (const [process, env] of perProcess) {
    const own = [...env].filter(([key]) => !draft.env.has(key));
    if (own.length === 0) continue;
    const assignments = own.map(([key, value]) => `${key}=${shellValue(value)}`).join(" ");
    if (process.run !== undefined) process.run = `${assignments} ${process.run}`;
    else
      process.comments.push(
        `its own environment (differs from this codebase's other processes): ${assignments}`,
      );
  }
}

function shellValue(value: string): string {
  return /^[A-Za-z0-9_./:@%+,-]*$/.test(value) && !value.includes("${")
    ? value
    : `"${value.replace(/(["\\`])/g, "\\$1").replace(/\$(?!\{)/g, "\\$")}"`;
}
