import { claimOutputNames } from "../manifest/index.js";
import { ClaimStore } from "../state/index.js";
import type { Workspace } from "../workspace/index.js";

/**
 * A claim output a restore puts back: consumers interpolate outputs into commands run by `sh -c`, and an
 * archive is untrusted, so only a value no shell reads as more than one word (a token, a URL, an id) is
 * taken from it. Any other value is not restored: the claim task runs again and makes a fresh one.
 */
const SHELL_SAFE = /^[A-Za-z0-9_.~:/@%+=,-]{0,1024}$/;

/** The codebase claims' outputs of these consumers, by `<consumer>#<alias>`: they match the saved data. */
export function claimOutputs(
  home: string,
  workspace: Workspace,
  codebases: readonly string[],
): Record<string, Record<string, string>> {
  const store = new ClaimStore(home);
  const outputs: Record<string, Record<string, string>> = {};
  for (const dependency of workspace.dependencies) {
    const consumer = workspace.codebases.get(dependency.from);
    if (!consumer || !codebases.includes(dependency.from) || dependency.target.kind !== "codebase") continue;
    const saved = store.get(consumer.dir, dependency.alias);
    if (saved) outputs[`${dependency.from}#${dependency.alias}`] = saved;
  }
  return outputs;
}

/**
 * Puts back the outputs the snapshot holds of the claims of its consumers (`codebases`): exactly the
 * outputs the providing codebase declares, each shell-safe; a claim with any other is left to run again.
 * Resolves to the claims put back.
 */
export function restoreClaimOutputs(
  home: string,
  workspace: Workspace,
  codebases: readonly string[],
  saved: Record<string, Record<string, string>>,
): { consumer: string; provider: string }[] {
  const store = new ClaimStore(home);
  const back: { consumer: string; provider: string }[] = [];
  for (const dependency of workspace.dependencies) {
    if (dependency.target.kind !== "codebase" || !codebases.includes(dependency.from)) continue;
    const outputs = Object.hasOwn(saved, `${dependency.from}#${dependency.alias}`)
      ? saved[`${dependency.from}#${dependency.alias}`]
      : undefined;
    const consumer = workspace.codebases.get(dependency.from);
    const provider = workspace.codebases.get(dependency.target.name);
    if (!outputs || !consumer || !provider) continue;
    const names = claimOutputNames(provider.loaded.manifest);
    const kept: Record<string, string> = {};
    for (const name of names) {
      const value = Object.hasOwn(outputs, name) ? outputs[name] : undefined;
      if (value !== undefined && SHELL_SAFE.test(value)) kept[name] = value;
    }
    if (Object.keys(kept).length !== names.length) continue;
    store.set(consumer.dir, dependency.alias, kept);
    back.push({ consumer: dependency.from, provider: dependency.target.name });
  }
  return back;
}
