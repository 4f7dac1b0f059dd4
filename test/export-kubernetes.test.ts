import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { type KubeObject, validateObjects } from "../src/targets/index.js";
import { berth } from "./helpers/cli.js";
import { itWith } from "./helpers/servers.js";
import { tempDir } from "./helpers/temp.js";

const fixtures = join(import.meta.dirname, "fixtures", "export");
const examples = join(import.meta.dirname, "..", "examples");
/** BERTH_UPDATE_GOLDEN=1 rewrites the expected files from what is rendered now. */
const update = process.env.BERTH_UPDATE_GOLDEN === "1";

function copyCodebases(from: string): string {
  const dir = tempDir("berth-export-k8s-");
  for (const codebase of readdirSync(from))
    cpSync(join(from, codebase), join(dir, codebase), {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  return dir;
}

function exportKubernetes(dir: string, root: string, env: Record<string, string> = {}) {
  const result = berth(["export", "kubernetes", "-o", "../out"], {
    cwd: join(dir, root),
    home: join(dir, "home"),
    env,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain("each valid against the Kubernetes schemas");
  return { ...result, out: join(dir, "out") };
}

/** The folder as one text, kustomization first; generated and env_file values of the Secret masked. */
function folderText(out: string): string {
  const names = readdirSync(out).sort((a, b) =>
    a === "kustomization.yaml" ? -1 : b === "kustomization.yaml" ? 1 : a.localeCompare(b),
  );
  return names
    .map((name) => {
      let text = readFileSync(join(out, name), "utf8");
      if (name.startsWith("secret-") && text.includes("stringData:")) {
        const [head, data = ""] = text.split("stringData:\n");
        const keys = data
          .split("\n")
          .flatMap((line) => (/^ {2}\S/.test(line) ? [line.replace(/: .*$/, ": <value>")] : []));
        text = `${head}stringData:\n${keys.join("\n")}\n`;
      }
      return `### ${name}\n${text}`;
    })
    .join("");
}

function expectGolden(name: string, text: string): void {
  const file = join(fixtures, "k8s", `${name}.txt`);
  if (update) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, "utf8"));
}

function objectsIn(out: string): KubeObject[] {
  return readdirSync(out)
    .filter((name) => name !== "kustomization.yaml")
    .map((name) => parse(readFileSync(join(out, name), "utf8")) as KubeObject);
}

describe("berth export kubernetes", () => {
  it("renders the bundled example as its golden folder, every object valid", async () => {
    const dir = copyCodebases(examples);
    const { out, stderr } = exportKubernetes(dir, "web");
    expectGolden("example", folderText(out));
    await expect(validateObjects(objectsIn(out))).resolves.toBeUndefined();
    // what does not map is said, not dropped
    expect(stderr).toContain("catalog/worker: a `log` readiness probe has no equivalent on another engine");
    expect(readFileSync(join(out, "deployment-catalog-worker.yaml"), "utf8")).toMatch(
      /^# catalog\/worker: its ready probe/,
    );
    expect(stderr).toContain("container.build has no Kubernetes equivalent");
  });

  it("renders every provider, a codebase claim and every probe kind as its golden folder", async () => {
    const dir = copyCodebases(join(fixtures, "every-kind", "workspace"));
    const { out } = exportKubernetes(dir, "shop", { SHOP_REGION: "eu-west" });
    expectGolden("every-kind", folderText(out));
    const objects = objectsIn(out);
    await expect(validateObjects(objects)).resolves.toBeUndefined();
    const probes = objects.flatMap((object) =>
      object.kind === "Deployment"
        ? (object.spec?.template.spec?.containers ?? []).map((c) => c.readinessProbe)
        : [],
    );
    expect(probes.some((probe) => probe?.httpGet)).toBe(true);
    expect(probes.some((probe) => probe?.tcpSocket)).toBe(true);
    expect(probes.some((probe) => probe?.exec)).toBe(true);
    const kinds = objects
      .filter((object) => object.kind === "StatefulSet")
      .map((object) => object.metadata?.name);
    expect(kinds.length).toBe(4);
  });

  it("writes the Secret alone 0600 and keeps its generated values on the next export", () => {
    const dir = copyCodebases(examples);
    const { out } = exportKubernetes(dir, "web");
    const secret = join(out, "secret-web-secrets.yaml");
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, "deployment-web-site.yaml")).mode & 0o777).toBe(0o644);
    const first = readFileSync(secret, "utf8");
    exportKubernetes(dir, "web");
    expect(readFileSync(secret, "utf8")).toBe(first);
    // no value of the Secret appears in any other file
    const values = Object.values((parse(first) as { stringData: Record<string, string> }).stringData);
    for (const name of readdirSync(out).filter((name) => name !== "secret-web-secrets.yaml"))
      for (const value of values) expect(readFileSync(join(out, name), "utf8")).not.toContain(value);
  });

  it("removes the files of objects a previous export rendered and this one does not", () => {
    const dir = copyCodebases(examples);
    const { out } = exportKubernetes(dir, "web");
    expect(existsSync(join(out, "deployment-catalog-worker.yaml"))).toBe(true);
    const manifest = join(dir, "catalog", "berth.yaml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/ {2}worker:\n(?: {4}.*\n)+/, ""));
    exportKubernetes(dir, "web");
    expect(existsSync(join(out, "deployment-catalog-worker.yaml"))).toBe(false);
  });

  it("names a migrate Job by a hash: the same after an unchanged export, a new one after a migration changed", () => {
    const dir = copyCodebases(examples);
    const jobs = () =>
      readdirSync(join(dir, "out"))
        .filter((name) => name.startsWith("job-accounts-migrate-"))
        .sort();
    exportKubernetes(dir, "web");
    const first = jobs();
    expect(first).toHaveLength(1);
    exportKubernetes(dir, "web");
    expect(jobs()).toEqual(first);
    writeFileSync(join(dir, "accounts", "migrations", "9999_more.js"), "exports.up = () => {};\n");
    exportKubernetes(dir, "web");
    expect(jobs()).toHaveLength(1);
    expect(jobs()).not.toEqual(first);
    // what waits for it waits for the new one
    const api = readFileSync(join(dir, "out", "deployment-accounts-api.yaml"), "utf8");
    const seed = readdirSync(join(dir, "out")).find((name) => name.startsWith("job-accounts-seed-")) ?? "";
    expect(readFileSync(join(dir, "out", seed), "utf8")).toContain(
      `job/${jobs()[0]?.replace(/^job-|\.yaml$/g, "")}`,
    );
    expect(api).toContain(`job/${seed.replace(/^job-|\.yaml$/g, "")}`);
  });

  itWith(["kubectl"], "builds with kubectl kustomize, the same objects as the folder", () => {
    for (const [from, root, env] of [
      [examples, "web", {}],
      [join(fixtures, "every-kind", "workspace"), "shop", { SHOP_REGION: "eu-west" }],
    ] as const) {
      const dir = copyCodebases(from);
      const { out } = exportKubernetes(dir, root, env);
      const built = spawnSync("kubectl", ["kustomize", out], { encoding: "utf8" });
      expect(built.status, built.stderr).toBe(0);
      const names = parseAllDocuments(built.stdout).map((document) => {
        const object = document.toJS() as KubeObject;
        return `${object.kind}/${object.metadata?.name}`;
      });
      expect(names.sort()).toEqual(
        objectsIn(out)
          .map((object) => `${object.kind}/${object.metadata?.name}`)
          .sort(),
      );
    }
  });
});
