/** Which codebase requires which, so a new requirement that would close a cycle is refused. */
export class CodebaseGraph {
  readonly #edges = new Map<string, Set<string>>();

  /** Adds `from → to` unless `to` already reaches `from`; says whether it did. */
  add(from: string, to: string): boolean {
    if (from === to || this.#reaches(to, from)) return false;
    const targets = this.#edges.get(from) ?? new Set<string>();
    targets.add(to);
    this.#edges.set(from, targets);
    return true;
  }

  #reaches(from: string, to: string): boolean {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === to) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.#edges.get(next) ?? []));
    }
    return false;
  }
}
