import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BerthError } from "../src/errors/index.js";
import { Servers } from "../src/providers/index.js";
import { restoreSnapshot, type SnapshotContext, saveSnapshot } from "../src/snapshots/index.js";
import { ClaimStore } from "../src/state/index.js";
import { resolveWorkspace } from "../src/workspace/index.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

/**
 * Restores of a real snapshot whose manifest.json an attacker changed (the archive reader's fuzz covers
 * the bytes; this covers what the manifest names): each is refused with nothing changed, or restores the
 * snapshot intact. The restore runs in this process on a real workspace and state folder; the workspace
 * claims no database, so bringing servers up and restarting processes (the supervisor's part) do nothing.
 */
describe("fuzzing a restore's manifest", () => {
  it("every mutation of what, codebase, kind, file, claims and tasks is refused untouched or restored intact", async () => {
    const dir = writeTree({
      "app/berth.yaml": "name: app\ndata: [media]\nrequires:\n  accounts: { path: ../accounts }\n",
      "app/media/logo.txt": "the original logo\n",
      "app/notes/keep.txt": "mine\n",
      "accounts/berth.yaml": `name: accounts
data: [files]
tasks:
  claim: { run: "echo token=tok >> $BERTH_OUTPUT", outputs: [token, { name: key, secret: true }] }
`,
      "accounts/files/a.txt": "accounts' file\n",
      "victim/keep.txt": "precious\n",
    });
    const home = join(tempDir(), "state");
    const workspace = await resolveWorkspace({ root: join(dir, "app"), home });
    const context: SnapshotContext = {
      home,
      workspace,
      servers: new Servers(home),
      ensureClaims: async () => {},
      restart: async () => ({ restarted: [], reran: [] }),
    };
    new ClaimStore(home).set(join(dir, "app"), "accounts", { token: "tok-app", key: "k3y" });
    await saveSnapshot(context, "base", [], new AbortController().signal);
    const base = join(home, "snapshots", "base");
    const manifest = JSON.parse(readFileSync(join(base, "manifest.json"), "utf8")) as Record<string, unknown>;
    expect((manifest.entries as unknown[]).length).toBe(2);

    const hostile = fc.constantFrom<unknown>(
      "data:../victim",
      "data:.",
      "data:notes",
      "data:media/../../victim",
      "data:/etc",
      "data:media",
      "data:files",
      "secrets:generated",
      "accounts",
      "app",
      "victim",
      "../x",
      "app/data-0.tar",
      "accounts/data-0.tar",
      "manifest.json",
      "folder",
      "postgres",
      "redis",
      "secrets",
      "x; touch /tmp/berth-fuzz-marker",
      "$(touch /tmp/berth-fuzz-marker)",
      "tok-fine",
      "eyJhbGciOi_J9.eyJzdWIi-fQ.c2lnbmF0dXJl",
      "",
      0,
      -1,
      null,
      {},
      [],
    );
    const value = fc.oneof(hostile, fc.string({ maxLength: 12 }));
    const field = fc.constantFrom("what", "codebase", "kind", "file", "size", "sha256", "extra");
    const mutation = fc.oneof(
      fc.tuple(fc.nat(1), field, value).map(([index, key, to]) => (m: Record<string, unknown>) => {
        const entry = (m.entries as Record<string, unknown>[] | undefined)?.[index];
        if (entry) entry[key] = to;
      }),
      fc
        .tuple(
          fc.constantFrom("app#accounts", "accounts#app", "app#nosuch", "../x#y", "victim#accounts"),
          fc.constantFrom("token", "key", "extra", "__proto__"),
          value,
        )
        .map(([key, output, to]) => (m: Record<string, unknown>) => {
          const claims = (m.claims ?? {}) as Record<string, Record<string, unknown>>;
          claims[key] = { ...(claims[key] ?? {}), [output]: to };
          m.claims = claims;
        }),
      fc
        .tuple(fc.constantFrom("app#migrate", "accounts#claim:app", "app#claim:../x", "x"), value)
        .map(([key, to]) => (m: Record<string, unknown>) => {
          m.tasks = { ...((m.tasks ?? {}) as object), [key]: to };
        }),
      fc.constantFrom("app", "accounts", "victim", "../x", 7).map((name) => (m: Record<string, unknown>) => {
        m.codebases = [...((m.codebases ?? []) as unknown[]), name];
      }),
      fc
        .constantFrom("codebases", "entries", "claims", "tasks", "name")
        .map((key) => (m: Record<string, unknown>) => {
          delete m[key];
        }),
    );

    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const name = `case-${cases++}`;
        const folder = join(home, "snapshots", name);
        cpSync(base, folder, { recursive: true });
        const changed = structuredClone({ ...manifest, name });
        for (const mutate of mutations) mutate(changed);
        writeFileSync(join(folder, "manifest.json"), JSON.stringify(changed));
        writeFileSync(join(dir, "app", "media", "logo.txt"), "changed since\n");
        const before = fingerprint(dir, home);
        try {
          await restoreSnapshot(context, name);
          expect(readFileSync(join(dir, "app", "media", "logo.txt"), "utf8")).toBe("the original logo\n");
          expect(readFileSync(join(dir, "victim", "keep.txt"), "utf8")).toBe("precious\n");
          expect(readFileSync(join(dir, "app", "notes", "keep.txt"), "utf8")).toBe("mine\n");
          expect(readFileSync(join(dir, "accounts", "files", "a.txt"), "utf8")).toBe("accounts' file\n");
          const claims = JSON.parse(readFileSync(join(home, "claims.json"), "utf8")) as Record<
            string,
            Record<string, string>
          >;
          for (const outputs of Object.values(claims)) {
            expect(Object.keys(outputs).sort()).toEqual(["key", "token"]);
            for (const output of Object.values(outputs)) expect(output).toMatch(/^[A-Za-z0-9_.~:/@%+=,-]*$/);
          }
        } catch (error) {
          if (!(error instanceof BerthError)) throw error;
          expect(fingerprint(dir, home)).toEqual(before);
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
        expect(existsSync("/tmp/berth-fuzz-marker")).toBe(false);
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});

/** Every file of the workspace and the state folder (less its snapshots), with its content's hash. */
function fingerprint(dir: string, home: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const root of [dir, home])
    for (const entry of readdirSync(root, { recursive: true, encoding: "utf8" })) {
      const path = join(root, entry);
      if (relative(home, path).startsWith("snapshots")) continue;
      files[path] = statSync(path).isFile()
        ? createHash("sha256").update(readFileSync(path)).digest("hex")
        : "folder";
    }
  return files;
}
