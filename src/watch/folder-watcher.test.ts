import {
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp.js";
import { ChangeBatcher, FolderWatcher, type Interest, type WatchProblem } from "./index.js";

interface Heard {
  id: string;
  files: string[];
}

const watchers: FolderWatcher[] = [];

afterEach(async () => {
  for (const watcher of watchers.splice(0)) await watcher.close();
});

/** A watcher on `dir` that records what it hears, with a wait for a file to be heard (no sleeps). */
function watching(dir: string, ignoreDirs: string[] = []) {
  const heard: Heard[] = [];
  const problems: WatchProblem[] = [];
  const waiters: { id: string; file: string; resolve: () => void }[] = [];
  const watcher = new FolderWatcher(
    dir,
    { ignoreDirs },
    (id, files) => {
      heard.push({ id, files });
      for (const waiter of [...waiters]) {
        if (waiter.id === id && files.includes(waiter.file)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    },
    (problem) => problems.push(problem),
  );
  watchers.push(watcher);
  const seen = (id: string, file: string) =>
    heard.some((entry) => entry.id === id && entry.files.includes(file));
  return {
    watcher,
    heard,
    problems,
    /** Resolves when `file` is heard for `id` (now or before). */
    hears: (id: string, file: string): Promise<void> =>
      seen(id, file) ? Promise.resolve() : new Promise((resolve) => waiters.push({ id, file, resolve })),
    /** Resolves when `file` is heard for `id` from now on. */
    hearsAgain: (id: string, file: string): Promise<void> =>
      new Promise((resolve) => waiters.push({ id, file, resolve })),
    files: (id: string) => heard.filter((entry) => entry.id === id).flatMap((entry) => entry.files),
  };
}

function write(dir: string, file: string, text = "x\n"): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

/** The inotify watches this process holds, as /proc counts them. */
function inotifyWatches(): number {
  let count = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) !== "anon_inode:inotify") continue;
      count += readFileSync(`/proc/self/fdinfo/${fd}`, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("inotify wd:")).length;
    } catch {
      // The fd closed while we looked.
    }
  }
  return count;
}

const js: Interest = { id: "web", globs: ["**/*.js"] };

/** A watcher whose changes feed a batcher, as the supervisor uses them: the runs are recorded. */
async function batching(dir: string, quietMs: number) {
  const runs: string[][] = [];
  const waiters: { file: string; resolve: () => void }[] = [];
  const batcher = new ChangeBatcher(quietMs, async (files) => {
    runs.push(files);
    for (const waiter of waiters.filter((waiter) => files.includes(waiter.file))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const watcher = new FolderWatcher(
    dir,
    { ignoreDirs: [] },
    (_id, files) => batcher.push(files),
    () => {},
  );
  watchers.push(watcher);
  await watcher.set([js]);
  return {
    runs,
    batcher,
    /** Resolves when a run gets `file`. */
    runsWith: (file: string): Promise<void> => new Promise((resolve) => waiters.push({ file, resolve })),
  };
}

describe("FolderWatcher", () => {
  it("makes one write one batch, 100 rapid writes one run", async () => {
    const dir = tempDir();
    write(dir, "src/app.js");
    const b = await batching(dir, 300);
    let ran = b.runsWith("src/app.js");
    write(dir, "src/app.js", "changed\n");
    await ran;
    ran = b.runsWith("src/sentinel.js");
    write(dir, "src/sentinel.js");
    await ran;
    expect(b.runs).toEqual([["src/app.js"], ["src/sentinel.js"]]);

    ran = b.runsWith("src/app.js");
    for (let i = 0; i < 100; i++) write(dir, i % 2 === 0 ? "src/app.js" : `src/lib/${i}.js`, `${i}\n`);
    await ran;
    await b.batcher.idle();
    ran = b.runsWith("src/sentinel.js");
    write(dir, "src/sentinel.js", "again\n");
    await ran;
    expect(b.runs).toHaveLength(4);
    expect(b.runs[2]).toHaveLength(51);
    expect(b.runs[3]).toEqual(["src/sentinel.js"]);
  });

  it("hears nothing under node_modules, .git, a gitignored folder or an ignored folder", async () => {
    const dir = tempDir();
    write(dir, ".gitignore", "build/\n");
    write(dir, "lib/.gitignore", "cache\n");
    for (const folder of [
      "node_modules/pkg",
      "lib/node_modules/pkg",
      ".git",
      "build",
      "lib/cache",
      "data/pg",
    ]) {
      write(dir, `${folder}/old.js`);
    }
    write(dir, "src/app.js");
    const w = watching(dir, [join(dir, "data"), "/elsewhere/state"]);
    const before = inotifyWatches();
    await w.watcher.set([js]);
    // One OS watch per folder that can hold a wanted file (the root, src, lib), none in the cut-off ones.
    expect(inotifyWatches() - before).toBe(3);
    for (const folder of [
      "node_modules/pkg",
      "lib/node_modules/pkg",
      ".git",
      "build",
      "lib/cache",
      "data/pg",
    ]) {
      write(dir, `${folder}/old.js`, "changed\n");
      write(dir, `${folder}/new/deep/x.js`);
    }
    write(dir, "src/sentinel.js");
    await w.hears("web", "src/sentinel.js");
    expect(w.files("web")).toEqual(["src/sentinel.js"]);
  });

  it("follows an edit of a .gitignore: what it now excludes is no longer heard", async () => {
    const dir = tempDir();
    write(dir, "src/app.js");
    const w = watching(dir);
    await w.watcher.set([js]);
    write(dir, "src/.gitignore", "generated/\n*.gen.js\n");
    write(dir, "src/generated/types.js");
    write(dir, "src/api.gen.js");
    write(dir, "src/sentinel.js");
    await w.hears("web", "src/sentinel.js");
    expect(w.files("web")).toEqual(["src/sentinel.js"]);
  });

  it("sees a file created in a new nested folder, every time", async () => {
    const dir = tempDir();
    const w = watching(dir);
    await w.watcher.set([js, { id: "a", globs: ["a/**"] }]);
    for (let round = 0; round < 5; round++) {
      mkdirSync(join(dir, `a/b${round}/c`), { recursive: true });
      writeFileSync(join(dir, `a/b${round}/c/x.js`), "x\n");
      await Promise.all([w.hears("web", `a/b${round}/c/x.js`), w.hears("a", `a/b${round}/c/x.js`)]);
    }
  });

  it("reports a removed folder as the files it held, not as itself", async () => {
    const dir = tempDir();
    write(dir, "old/b/c/x.js");
    write(dir, "old/b/y.js");
    const w = watching(dir);
    await w.watcher.set([{ id: "old", globs: ["old/**"] }]);
    rmSync(join(dir, "old"), { recursive: true });
    await Promise.all([w.hears("old", "old/b/c/x.js"), w.hears("old", "old/b/y.js")]);
    write(dir, "old/sentinel.js");
    await w.hears("old", "old/sentinel.js");
    expect(w.files("old").sort()).toEqual(["old/b/c/x.js", "old/b/y.js", "old/sentinel.js"]);
  });

  it("takes an atomic save (write a temp file, rename it over the target) as a change of the target", async () => {
    const dir = tempDir();
    write(dir, "src/app.js");
    const w = watching(dir);
    await w.watcher.set([js, { id: "lock", globs: ["package-lock.json"] }]);
    for (const file of ["src/app.js", "package-lock.json"]) {
      write(dir, `${file}.tmp-123`, "saved\n");
      renameSync(join(dir, `${file}.tmp-123`), join(dir, file));
    }
    await Promise.all([w.hears("web", "src/app.js"), w.hears("lock", "package-lock.json")]);
    // Saved again: the rename replaced the watched file, and the new one is watched too.
    // Saved again at once (chokidar alone drops a second change within 50 ms): heard too.
    const again = w.hearsAgain("web", "src/app.js");
    write(dir, "src/app.js.tmp-456", "saved again\n");
    renameSync(join(dir, "src/app.js.tmp-456"), join(dir, "src/app.js"));
    await again;
  });

  it("keeps an interest's ignore globs from it, not from the others", async () => {
    const dir = tempDir();
    write(dir, "src/app.js");
    const w = watching(dir);
    await w.watcher.set([
      { id: "api", globs: ["src/**"], ignore: ["src/generated/**", "**/*.log"] },
      { id: "all", globs: ["src/**"] },
    ]);
    write(dir, "src/generated/types.js");
    write(dir, "src/out.log");
    await Promise.all([w.hears("all", "src/generated/types.js"), w.hears("all", "src/out.log")]);
    write(dir, "src/sentinel.js");
    await w.hears("api", "src/sentinel.js");
    expect(w.files("api")).toEqual(["src/sentinel.js"]);
  });

  it("watches only the bases of the globs, and follows set() when the interests change", async () => {
    const dir = tempDir();
    for (let i = 0; i < 20; i++) write(dir, `assets/${i}/a.css`);
    write(dir, "migrations/0001.py");
    const w = watching(dir);
    const before = inotifyWatches();
    const migrate: Interest = { id: "migrate", globs: ["migrations/*.py"] };
    await w.watcher.set([migrate]);
    // The root and migrations: assets/ gets none.
    expect(inotifyWatches() - before).toBe(2);
    expect(w.watcher.describe()).toEqual([
      { id: "migrate", globs: ["migrations/*.py"], ignore: [], paths: [join(dir, "migrations")] },
    ]);
    await w.watcher.set([migrate]);
    await w.watcher.set([migrate, { id: "css", globs: ["assets/**/*.css"] }]);
    expect(inotifyWatches() - before).toBe(2 + 21);
    expect(w.watcher.describe().map((entry) => entry.paths)).toEqual([
      [join(dir, "migrations")],
      [join(dir, "assets")],
    ]);
    write(dir, "assets/3/a.css", "changed\n");
    await w.hears("css", "assets/3/a.css");
    await w.watcher.set([{ id: "css", globs: ["assets/**/*.css"] }]);
    write(dir, "migrations/0002.py");
    write(dir, "assets/4/a.css", "changed\n");
    await w.hears("css", "assets/4/a.css");
    expect(w.files("migrate")).toEqual([]);
  });

  it("sees a base folder that did not exist when watching began", async () => {
    const dir = tempDir();
    const w = watching(dir);
    await w.watcher.set([{ id: "migrate", globs: ["migrations/*.py"] }]);
    write(dir, "migrations/0001.py");
    await w.hears("migrate", "migrations/0001.py");
  });
});
