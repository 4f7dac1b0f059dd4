// The floors of watching: bare Node scripts that watch the given paths and do nothing with what they see.
// Run as their own process; each prints "ready" once it watches everything, then idles until SIGTERM.
//
//   node bench/watch-floor.mjs folders <path…>    one fs.watch per folder (the least: inotify reports a
//                                                 folder's files), node_modules/ and .git/ skipped
//   node bench/watch-floor.mjs chokidar <path…>   chokidar 5 (the watcher Berth uses) with the same skips
//   node bench/watch-floor.mjs none               loads chokidar, watches nothing: the baseline for memory
import { readdirSync, statSync, watch as watchPath } from "node:fs";
import { join } from "node:path";
import { watch } from "chokidar";

const [mode, ...paths] = process.argv.slice(2);
const skipped = (path) => /(^|\/)(node_modules|\.git)(\/|$)/.test(path);
const ready = () => process.stdout.write("ready\n");

function watchFolders(path) {
  watchPath(path, () => {});
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path, { withFileTypes: true }))
    if (entry.isDirectory() && !skipped(entry.name)) watchFolders(join(path, entry.name));
}

if (mode === "folders") {
  for (const path of paths) watchFolders(path);
  ready();
} else if (mode === "chokidar") {
  watch(paths, { ignoreInitial: true, ignored: skipped }).on("ready", ready);
} else {
  ready();
}
setInterval(() => {}, 1 << 30);
process.on("SIGTERM", () => process.exit(0));
