import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { moveIntoPlace } from "../state/index.js";
import { giveTo } from "./run-as.js";
import type { RunAs } from "./types.js";

/**
 * Initialising a server's data folder is slow (initdb ~0.5 s) and copying an initialised one is fast
 * (~0.05 s): each kind and version is initialised once into a template, and every new server is a copy.
 * `create` initialises a template's data folder; its admin password is kept beside it.
 */
export async function useTemplate(
  options: {
    name: string;
    cacheDir: string;
    dataDir: string;
    runAs: RunAs | undefined;
    adminPassword: string;
  },
  create: (templateData: string, password: string) => Promise<void>,
): Promise<string> {
  const template = join(options.cacheDir, options.name.replace(/[^A-Za-z0-9.@-]+/g, "_"));
  if (!existsSync(join(template, "data"))) {
    // Built in a folder the server's account can enter, copied beside the cache, then renamed into it whole:
    // two supervisors making the same template at once (two state folders' first `up`) never see half of one.
    const work = mkdtempSync(join(tmpdir(), "berth-template-"));
    const staged = `${template}.${process.pid}.staged`;
    try {
      giveTo(work, options.runAs);
      const data = join(work, "data");
      mkdirSync(data, { mode: 0o700 });
      giveTo(data, options.runAs);
      await create(data, options.adminPassword);
      writeFileSync(join(work, "admin-password"), options.adminPassword, { mode: 0o600 });
      mkdirSync(options.cacheDir, { recursive: true, mode: 0o700 });
      rmSync(staged, { recursive: true, force: true });
      execFileSync("cp", ["-a", work, staged]);
      // A template folder without data is what an interrupted build of an earlier version left.
      if (!existsSync(join(template, "data"))) rmSync(template, { recursive: true, force: true });
      moveIntoPlace(staged, template);
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(staged, { recursive: true, force: true });
    }
  }
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(join(options.dataDir, ".."), { recursive: true });
  execFileSync("cp", ["-a", join(template, "data"), `${options.dataDir}.copy`]);
  renameSync(`${options.dataDir}.copy`, options.dataDir);
  giveTo(options.dataDir, options.runAs);
  return readFileSync(join(template, "admin-password"), "utf8");
}
