/** Hides secrets in text: each known secret value, and the password of any URL with credentials. */
export function mask(text: string, secrets: ReadonlySet<string>): string {
  let masked = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)([^@\s]+)(@)/gi, "$1****$3");
  for (const secret of secrets) if (secret.length >= 4) masked = masked.split(secret).join("****");
  return masked;
}
