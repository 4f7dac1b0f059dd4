import { type ImportResult, importFile } from "../init/index.js";
import { looksSecret, MASK, Masker } from "../logs/index.js";

export type { ImportReport, ImportResult, ServiceReport } from "../init/index.js";

/**
 * `berth import <file>`: one draft berth.yaml per codebase from a Compose file (and its overlays) or a
 * Procfile, and a report of what each service became. Values of secret-looking variables are kept in the
 * drafts but masked in the report.
 */
export function importDrafts(options: {
  file: string;
  overlays?: string[];
  out?: string;
  force?: boolean;
  environment?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}): ImportResult {
  options.signal?.throwIfAborted();
  const result = importFile({
    file: options.file,
    ...(options.overlays === undefined ? {} : { overlays: options.overlays }),
    ...(options.out === undefined ? {} : { out: options.out }),
    ...(options.force === undefined ? {} : { force: options.force }),
    environment: options.environment ?? process.env,
  });
  const urls = new Masker([]);
  for (const service of result.report.services)
    service.rewrites = service.rewrites.map((rewrite) =>
      looksSecret(rewrite.key)
        ? { ...rewrite, from: MASK, to: rewrite.to.includes("${") ? rewrite.to : MASK }
        : { ...rewrite, from: maskUrl(urls.mask(rewrite.from)), to: maskUrl(urls.mask(rewrite.to)) },
    );
  return result;
}

/** A URL's password with no user before it (`redis://:secret@cache`), which the log masker leaves. */
function maskUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/:)([^@\s]+)(@)/gi, `$1${MASK}$3`);
}
