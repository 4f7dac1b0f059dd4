import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect } from "vitest";
import { itWith } from "../../test/helpers/servers.js";
import { tempDir } from "../../test/helpers/temp.js";

const repo = join(import.meta.dirname, "..", "..");

/** Watches `**\/*.js` of a tree of 40 folders, then adds a file at its root; prints what it heard and the problems. */
const probe = (door: string) => `
import { writeFileSync } from "node:fs";
import { FolderWatcher } from ${JSON.stringify(door)};
const dir = process.argv[2];
const problems = [];
const heard = [];
let onHeard = () => {};
const watcher = new FolderWatcher(dir, { ignoreDirs: [] }, (_id, files) => { heard.push(...files); onHeard(); },
  (problem) => problems.push(problem));
await watcher.set([{ id: "web", globs: ["**/*.js"] }]);
const seen = new Promise((resolve) => { onHeard = () => heard.includes("new.js") && resolve(); });
writeFileSync(dir + "/new.js", "x");
await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
await watcher.close();
console.log(JSON.stringify({ problems, heard }));
`;

describe("the OS watch limit", () => {
  itWith(
    ["user namespaces"],
    "is said once, with the sysctl to raise it, and what is watched keeps working",
    async () => {
      const dir = tempDir();
      const tree = join(dir, "tree");
      for (let i = 0; i < 40; i++) {
        mkdirSync(join(tree, `d${i}`), { recursive: true });
        writeFileSync(join(tree, `d${i}`, "a.js"), "x\n");
      }
      writeFileSync(join(dir, "probe.mts"), probe(join(import.meta.dirname, "index.ts")));
      // A user namespace of its own, with 15 inotify watches: the real ENOSPC, the machine's limit untouched.
      const { stdout } = await promisify(execFile)(
        "unshare",
        [
          "--user",
          "--map-root-user",
          "sh",
          "-c",
          'echo 15 > /proc/sys/user/max_inotify_watches && exec node --import tsx "$0" "$1"',
          join(dir, "probe.mts"),
          tree,
        ],
        { cwd: repo },
      );
      const { problems, heard } = JSON.parse(stdout) as {
        problems: { message: string; hint: string }[];
        heard: string[];
      };
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).toContain("The OS limit on watched folders was reached");
      expect(problems[0]?.message).toContain("user.max_inotify_watches = 15");
      expect(problems[0]?.hint).toContain("sudo sysctl user.max_inotify_watches=524288");
      expect(problems[0]?.hint).toContain("/etc/sysctl.d/");
      expect(heard).toEqual(["new.js"]);
    },
  );
});
