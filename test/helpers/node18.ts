import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

const cache = join(import.meta.dirname, "..", "..", "node_modules", ".cache", "berth-node18");

/**
 * A real Node 18 binary: npm's `node-<platform>-<arch>@18` package ships it as `bin/node` (the `node@18`
 * package only downloads one in an install script, which npm 11 blocks). Fetched once with `npm pack`.
 */
export function node18Binary(): string {
  const binary = join(cache, "bin", "node");
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  execFileSync("npm", ["pack", `node-${process.platform}-${process.arch}@18`, "--pack-destination", cache], {
    stdio: "ignore",
    timeout: 120_000,
  });
  const archive = readdirSync(cache).find((name) => name.endsWith(".tgz"));
  if (!archive) throw new Error(`npm pack left no archive in ${cache}`);
  execFileSync("tar", ["xzf", join(cache, archive), "-C", cache, "--strip-components=1", "package/bin/node"]);
  return binary;
}
