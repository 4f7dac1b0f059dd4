import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The page: it loads the bundle the build writes to dist/page (app.js, app.css). */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Berth</title>
<link rel="stylesheet" href="/assets/app.css">
<link rel="preload" href="/api/state" as="fetch" crossorigin>
</head>
<body>
<div id="app"></div>
<script type="module" src="/assets/app.js"></script>
</body>
</html>
`;

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/**
 * dist/page (the page's bundle, apart from tsc's output of the server) of the package this module was loaded
 * from: above it in the bundle (dist/bundle/chunks), in tsc's output (dist/dashboard) or in the sources.
 */
export function assetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "dist", "page");
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "page");
}

/** A file of the bundle by its path under /assets/, or undefined (never a file outside the folder). */
export function readAsset(dir: string, path: string): { body: Buffer; type: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, "");
  if (relative.startsWith("..") || relative.includes(`${sep}..`) || relative.includes("\0")) return undefined;
  const file = join(dir, relative);
  const type = TYPES[extname(file)];
  if (!type || !file.startsWith(dir + sep)) return undefined;
  try {
    return { body: readFileSync(file), type };
  } catch {
    return undefined;
  }
}
