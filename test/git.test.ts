import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "../src/api/validate.js";
import { userErrorsOf } from "../src/errors/index.js";
import { renderGraph } from "../src/graph/index.js";
import { graph, link, listLinks, unlink } from "../src/index.js";
import { commit, git, initRepo } from "./helpers/git.js";
import { runModuleScript } from "./helpers/module-script.js";
import { tempDir } from "./helpers/temp.js";

const payments = (version: string) => `name: payments
processes:
  api: { run: node api.js, port: auto }
exports:
  url: http://127.0.0.1:\${processes.api.port}
  version: "${version}"
`;

function setUp() {
  const dir = tempDir();
  const repo = join(dir, "payments");
  initRepo(repo);
  const first = commit(repo, { "berth.yaml": payments("1") }, "first");
  const root = join(dir, "web");
  mkdirSync(root);
  writeFileSync(
    join(root, "berth.yaml"),
    `name: web\nrequires:\n  pay: { git: ../payments, ref: main }\nenv:\n  PAYMENTS_URL: \${requires.pay.url}\n`,
  );
  return { dir, repo, root, first, home: tempDir() };
}

const paymentsOf = async (root: string, home: string, update?: boolean | string[]) => {
  const { workspace } = await validate({ root, home, ...(update === undefined ? {} : { update }) });
  const codebase = workspace.codebases.get("payments");
  if (!codebase) throw new Error("payments not resolved");
  return codebase;
};

describe("git requirements", () => {
  it("clones into the cache, pins the commit in berth.lock, keeps the pin until `update`", async () => {
    const { repo, root, first, home } = setUp();
    const resolved = await paymentsOf(root, home);
    expect(resolved.origin).toMatchObject({ kind: "git", ref: "main", commit: first });
    expect(resolved.dir.startsWith(join(home, "git", "checkouts"))).toBe(true);
    expect(readFileSync(join(resolved.dir, "berth.yaml"), "utf8")).toContain('version: "1"');
    const lock = readFileSync(join(root, "berth.lock"), "utf8");
    expect(lock).toContain(`commit: ${first}`);
    expect(lock).toContain("ref: main");

    const second = commit(repo, { "berth.yaml": payments("2") }, "second");
    const pinned = await paymentsOf(root, home);
    expect(pinned.origin).toMatchObject({ commit: first });
    expect(readFileSync(join(root, "berth.lock"), "utf8")).toBe(lock);

    const updated = await paymentsOf(root, home, true);
    expect(updated.origin).toMatchObject({ commit: second });
    expect(readFileSync(join(updated.dir, "berth.yaml"), "utf8")).toContain('version: "2"');
    expect(readFileSync(join(root, "berth.lock"), "utf8")).toContain(`commit: ${second}`);
    expect((await paymentsOf(root, home)).origin).toMatchObject({ commit: second });
  });

  it("a fresh state folder checks out the pinned commit, not the branch's newest", async () => {
    const { repo, root, first, home } = setUp();
    await paymentsOf(root, home);
    commit(repo, { "berth.yaml": payments("2") }, "second");
    const elsewhere = await paymentsOf(root, tempDir());
    expect(elsewhere.origin).toMatchObject({ commit: first });
    expect(readFileSync(join(elsewhere.dir, "berth.yaml"), "utf8")).toContain('version: "1"');
  });

  it("link swaps in a local checkout; unlink goes back to the pinned one", async () => {
    const { dir, repo, root, home } = setUp();
    const fork = join(dir, "my-payments");
    cpSync(repo, fork, { recursive: true });
    writeFileSync(join(fork, "berth.yaml"), payments("fork"));

    expect(await link({ root, home, alias: "pay", dir: fork })).toEqual({ name: "payments", dir: fork });
    expect(listLinks({ root, home })).toEqual({ payments: fork });
    const linked = await paymentsOf(root, home);
    expect(linked.dir).toBe(fork);
    expect(linked.linkedFrom).toBeDefined();
    const text = renderGraph(await graph({ root, home }), "text");
    expect(text).toContain(`pay: payments (linked → ${fork}`);

    expect(await unlink({ root, home, alias: "pay" })).toEqual({ name: "payments" });
    const back = await paymentsOf(root, home);
    expect(back.dir).not.toBe(fork);
    expect(back.linkedFrom).toBeUndefined();
    expect(listLinks({ root, home })).toEqual({});
  });

  it("refuses to link a folder that holds another codebase, and keeps the old state", async () => {
    const { dir, root, home } = setUp();
    const other = join(dir, "other");
    mkdirSync(other);
    writeFileSync(join(other, "berth.yaml"), "name: billing\n");
    const error = await link({ root, home, alias: "pay", dir: other }).catch((caught: unknown) => caught);
    expect(userErrorsOf(error).map((item) => item.code)).toEqual(["BERTH_LINK_MISMATCH"]);
    expect(listLinks({ root, home })).toEqual({});
  });

  it("a linked checkout whose manifest breaks the workspace is refused and not kept", async () => {
    const { dir, repo, root, home } = setUp();
    const fork = join(dir, "broken");
    cpSync(repo, fork, { recursive: true });
    writeFileSync(join(fork, "berth.yaml"), "name: payments\n");
    const error = await link({ root, home, alias: "pay", dir: fork }).catch((caught: unknown) => caught);
    expect(userErrorsOf(error).map((item) => item.message)).toEqual([
      "${requires.pay.url}: codebase `payments` exports dir; not `url`",
    ]);
    expect(listLinks({ root, home })).toEqual({});
  });

  it("an unknown ref is a clear error", async () => {
    const { root, home } = setUp();
    writeFileSync(
      join(root, "berth.yaml"),
      "name: web\nrequires:\n  pay: { git: ../payments, ref: no-such-branch }\n",
    );
    const error = await validate({ root, home }).catch((caught: unknown) => caught);
    const [item] = userErrorsOf(error);
    expect(item?.code).toBe("BERTH_GIT_REF");
    expect(item?.message).toContain("no branch, tag or commit `no-such-branch`");
  });

  it("a repository that cannot be cloned names git's reason", async () => {
    const { root, home } = setUp();
    writeFileSync(join(root, "berth.yaml"), "name: web\nrequires:\n  pay: { git: ../nowhere }\n");
    const [item] = userErrorsOf(await validate({ root, home }).catch((caught: unknown) => caught));
    expect(item?.code).toBe("BERTH_GIT");
    expect(item?.message).toMatch(
      /git failed for .*nowhere: .*(does not exist|not appear to be a git repository)/,
    );
  });

  it("a subfolder of a repository is a codebase too", async () => {
    const { repo, root, home } = setUp();
    mkdirSync(join(repo, "services", "ledger"), { recursive: true });
    writeFileSync(join(repo, "services", "ledger", "berth.yaml"), "name: ledger\n");
    git(repo, "add", "-A");
    git(repo, "commit", "--quiet", "-m", "ledger");
    writeFileSync(
      join(root, "berth.yaml"),
      "name: web\nrequires:\n  ledger: { git: ../payments, path: services/ledger }\n",
    );
    const { workspace } = await validate({ root, home });
    expect(workspace.codebases.get("ledger")?.dir).toMatch(/services\/ledger$/);
  });
});

describe("the git cache, shared by processes of one state folder", () => {
  it("survives two processes fetching and checking out the same commit at the same moment", async () => {
    const { repo, first, home } = setUp();
    const at = Date.now() + 3000;
    const script = `
      import { GitCache } from ${JSON.stringify(join(import.meta.dirname, "..", "src", "workspace", "git-cache.ts"))};
      while (Date.now() < ${at});
      console.log(await new GitCache(${JSON.stringify(home)}).checkout(${JSON.stringify(repo)}, ${JSON.stringify(first)}));`;
    const [a, b] = await Promise.all([runModuleScript(script), runModuleScript(script)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toBe(b.stdout);
    expect(readFileSync(join(a.stdout, "berth.yaml"), "utf8")).toBe(payments("1"));
  });
});
