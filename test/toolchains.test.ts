import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { node18Binary } from "./helpers/node18.js";
import { runtimeWorkspace } from "./helpers/runtime.js";
import { tempDir } from "./helpers/temp.js";

/** A process that writes the Node version it runs under, then stays. */
const versionProcess = `processes:
  app:
    run: node -e "require('fs').writeFileSync('version.txt', process.version); setInterval(() => {}, 1000)"
    ready: { exec: "test -s version.txt" }
`;

/** A HOME whose nvm folder holds a real Node 18. */
function homeWithNvmNode18(): { home: string; version: string } {
  const binary = node18Binary();
  const version = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
  const home = tempDir("berth-toolchain-home-");
  const bin = join(home, ".nvm", "versions", "node", version, "bin");
  mkdirSync(bin, { recursive: true });
  copyFileSync(binary, join(bin, "node"));
  execFileSync("chmod", ["755", join(bin, "node")]);
  return { home, version };
}

const python311 = existsSync("/usr/bin/python3.11");
const itWithPython311 =
  python311 || process.env.CI === "true"
    ? it
    : it.skip.bind(it, "(skipped: this machine lacks /usr/bin/python3.11)");

describe("toolchains", () => {
  it("runs one codebase's process under the Node 18 it declares and another's under the machine's Node", () => {
    const { home, version } = homeWithNvmNode18();
    const { dir, run } = runtimeWorkspace({
      "old/berth.yaml": `name: old\ntoolchain: { node: "18" }\n${versionProcess}`,
      "web/berth.yaml": `name: web\nrequires:\n  old: { path: ../old }\n${versionProcess}`,
    });
    const up = run(["up", "-d"], "web", { HOME: home });
    expect(up.stderr).toBe("");
    expect(up).toSucceed();
    expect(readFileSync(join(dir, "old", "version.txt"), "utf8")).toBe(version);
    expect(version).toMatch(/^v18\./);
    expect(readFileSync(join(dir, "web", "version.txt"), "utf8")).toBe(process.version);

    const exec = run(["exec", "old", "--", "node", "--version"], "web", { HOME: home });
    expect(exec.stdout.trim()).toBe(version);
    const doctor = run(["doctor", "--json"], "web", { HOME: home });
    const checks = JSON.parse(doctor.stdout) as { name: string; ok: boolean; detail: string }[];
    expect(checks.find((check) => check.name === "old: node")).toMatchObject({ ok: true });
    expect(checks.find((check) => check.name === "old: node")?.detail).toContain(`nvm`);
  }, 180_000);

  it("reads the version from package.json engines when berth.yaml declares none", () => {
    const { home, version } = homeWithNvmNode18();
    const { run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\n",
      "web/package.json": JSON.stringify({ name: "web", engines: { node: "^18.0.0" } }),
    });
    const exec = run(["exec", "web", "--", "node", "--version"], "web", { HOME: home });
    expect(exec.stdout.trim()).toBe(version);
  }, 180_000);

  it("restarts a process and re-runs install under the Node its codebase comes to ask for", () => {
    const { home, version } = homeWithNvmNode18();
    const install = `tasks:\n  install: { run: "node -p process.version >> installs.txt" }\n`;
    const { dir, run } = runtimeWorkspace({ "web/berth.yaml": `name: web\n${install}${versionProcess}` });
    expect(run(["up", "-d"], "web", { HOME: home })).toSucceed();
    expect(run(["up", "-d"], "web", { HOME: home })).toSucceed();
    expect(readFileSync(join(dir, "web", "version.txt"), "utf8")).toBe(process.version);
    expect(readFileSync(join(dir, "web", "installs.txt"), "utf8")).toBe(`${process.version}\n`);
    rmSync(join(dir, "web", "version.txt"));
    writeFileSync(join(dir, "web", ".nvmrc"), "18\n");
    const again = run(["up", "-d"], "web", { HOME: home });
    expect(again.stderr).toBe("");
    expect(readFileSync(join(dir, "web", "version.txt"), "utf8")).toBe(version);
    expect(readFileSync(join(dir, "web", "installs.txt"), "utf8")).toBe(`${process.version}\n${version}\n`);
  }, 180_000);

  itWithPython311("gives a codebase declaring python 3.11 Debian's python3.11, its .venv activated", () => {
    const { dir, run } = runtimeWorkspace({
      "py/berth.yaml": `name: py\ntoolchain: { python: "3.11" }\n`,
      "bare/berth.yaml": `name: bare\ntoolchain: { python: "3.11", venv: env }\n`,
    });
    execFileSync("/usr/bin/python3.11", ["-m", "venv", "--without-pip", join(dir, "py", ".venv")]);
    // The machine's own PATH, without a user's version manager shims (pyenv's would choose 3.11.x).
    const env = { HOME: tempDir("berth-toolchain-home-"), PATH: "/usr/local/bin:/usr/bin:/bin" };
    const script =
      "import os, sys; print(sys.version.split()[0], sys.prefix, os.environ.get('VIRTUAL_ENV', '-'))";
    const inVenv = run(["exec", "py", "--", "python", "-c", script], "py", env);
    expect(inVenv.stderr).toBe("");
    const [version, prefix, virtualEnv] = inVenv.stdout.trim().split(" ");
    expect(version).toMatch(/^3\.11\./);
    expect(prefix).toBe(join(dir, "py", ".venv"));
    expect(virtualEnv).toBe(join(dir, "py", ".venv"));
    expect(run(["env", "py"], "py", env).stdout).toContain(`VIRTUAL_ENV=${join(dir, "py", ".venv")}`);
    const bare = run(["exec", "bare", "--", "python", "-c", script], "bare", env);
    expect(bare.stdout).toMatch(/^3\.11\.\d+ \/usr -\n$/);
    const doctor = JSON.parse(run(["doctor", "--json"], "bare", env).stdout) as {
      name: string;
      fix?: string;
    }[];
    expect(doctor.find((check) => check.name === "bare: venv")?.fix).toBe(
      `python3 -m venv ${join(dir, "bare", "env")}`,
    );
  });

  it("fails an up before anything starts when no binary satisfies a version, naming the file and the fix", () => {
    const home = tempDir("berth-toolchain-home-");
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\n${versionProcess}`,
      "web/.nvmrc": "12.22\n",
    });
    const up = run(["up", "-d"], "web", { HOME: home });
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(".nvmrc:1:1");
    expect(up.stderr).toContain("web needs Node.js 12.22 (as .nvmrc says)");
    expect(up.stderr).toContain("https://nodejs.org/en/download");
    expect(existsSync(join(dir, "web", "version.txt"))).toBe(false);
    const refused = run(["doctor", "--fix"], "web", { HOME: home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("no version manager is on this machine to install it");

    // With nvm on the machine, the fix is nvm's command.
    mkdirSync(join(home, ".nvm"), { recursive: true });
    execFileSync("touch", [join(home, ".nvm", "nvm.sh")]);
    const again = run(["up", "-d"], "web", { HOME: home });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("nvm install 12.22");
    // `--fix` hands the install to nvm (this one is an empty script, so the install fails, and says so).
    const fix = run(["doctor", "--fix"], "web", { HOME: home });
    expect(fix.code).toBe(1);
    expect(fix.stdout).toContain("✗ web: nvm install 12.22");
  });
});
