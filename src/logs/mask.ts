/** What a hidden secret is shown as. */
export const MASK = "****";

/** Shorter values are too likely to be ordinary words or numbers to hide everywhere they appear. */
export const MIN_SECRET_LENGTH = 4;

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)([^@\s]+)(@)/gi;

/** Names whose values are secret wherever they appear: env keys, claim outputs, provider exports. */
export function looksSecret(name: string): boolean {
  return /pass|secret|token|key/i.test(name);
}

/**
 * Hides secrets in text, as CI systems do: each known secret value, and the password of any URL with
 * credentials. One alternation, longest value first, so a secret that contains another (`x-admin-token`
 * and `x-admin`) is hidden whole rather than leaving its tail visible.
 */
export class Masker {
  readonly #pattern: RegExp | undefined;

  constructor(secrets: Iterable<string>) {
    // Output is masked line by line, so each line of a multi-line secret is a secret of its own.
    const values = new Set([...secrets].flatMap((secret) => secret.split(/\r?\n/)));
    const alternatives = [...values]
      .filter((value) => value.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length)
      .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    this.#pattern = alternatives.length > 0 ? new RegExp(alternatives.join("|"), "g") : undefined;
  }

  mask(text: string): string {
    const hidden = this.#pattern ? text.replace(this.#pattern, MASK) : text;
    return hidden.replace(URL_PASSWORD, `$1${MASK}$3`);
  }
}
