import type { Value, ValuePart } from "./model.js";

/**
 * The environment renders strings; a target needs to know which pieces are secrets or claim outputs. Each
 * such piece is rendered as a token of characters `encodeURIComponent` keeps (so it survives inside a URL)
 * and split back into parts afterwards.
 */
export class ValueTokens {
  readonly #parts: Exclude<ValuePart, string>[] = [];

  secret(name: string): string {
    return this.#token({ secret: name });
  }

  claimOutput(alias: string, key: string): string {
    return this.#token({ claimOutput: { alias, key } });
  }

  #token(part: Exclude<ValuePart, string>): string {
    this.#parts.push(part);
    return `__berth_ref_${this.#parts.length - 1}__`;
  }

  /** A rendered string back as parts. */
  split(text: string): Value {
    const value: Value = [];
    let last = 0;
    for (const match of text.matchAll(/__berth_ref_(\d+)__/g)) {
      if (match.index > last) value.push(text.slice(last, match.index));
      const part = this.#parts[Number(match[1])];
      if (!part) throw new Error(`bug: unknown value token ${match[0]}`);
      value.push(part);
      last = match.index + match[0].length;
    }
    if (last < text.length || value.length === 0) value.push(text.slice(last));
    return value;
  }
}

/** A value with its secrets and claim outputs written by `write` (a target's own reference syntax). */
export function valueText(value: Value, write: (part: Exclude<ValuePart, string>) => string): string {
  return value.map((part) => (typeof part === "string" ? part : write(part))).join("");
}
