import { createHash } from "node:crypto";
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect } from "vitest";
import { postgresCodebase } from "./helpers/manifests.js";
import { alive, killQuietly, runtimeWorkspace, status, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

/** A codebase whose seed writes one row and says so in seeds.log. */
const seeded = {
  "root/berth.yaml": postgresCodebase("root", {
    tasks: {
      migrate: `{ run: "psql \\"$DATABASE_URL\\" -qc 'CREATE TABLE IF NOT EXISTS items (name text)'" }`,
      seed: `{ run: "psql \\"$DATABASE_URL\\" -qc \\"INSERT INTO items VALUES ('seeded')\\" && echo seeded >> ../seeds.log" }`,
    },
    processes: { api: '{ run: "sleep 600" }' },
  }),
};

const psql = (run: ReturnType<typeof runtimeWorkspace>["run"], sql: string) =>
  run(["exec", "root", "--", "sh", "-c", `psql "$DATABASE_URL" -Atc "${sql}"`], "root");

const serverRecord = (home: string) =>
  Object.values(JSON.parse(readFileSync(join(home, "servers.json"), "utf8")) as object)[0] as {
    port: number;
    dataDir: string;
  };

/** Processes whose command line names the state folder's supervisor, or is its guardian (Linux /proc). */
function supervisors(home: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
        return argv.at(-1) === home && argv.some((arg) => arg.endsWith("supervisor.js"));
      } catch {
        return false;
      }
    })
    .map(Number);
}

function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Alive and not a zombie awaiting a reaper (a killed supervisor's children are reparented). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const listeners: Server[] = [];
const strays: number[] = [];
afterEach(() => {
  for (const listener of listeners.splice(0)) listener.close();
  for (const pid of strays.splice(0)) killQuietly(pid, "SIGKILL");
});

describe("provider servers: failures explained, leftovers recovered, data never initialised over", () => {
  itWith(
    ["postgres", "psql"],
    "a server's kept port taken by another program: up names the holder",
    async () => {
      const { run, home } = runtimeWorkspace(seeded);
      expect(run(["up", "-d"], "root")).toSucceed();
      expect(run(["down"], "root")).toSucceed();
      const { port } = serverRecord(home);
      const holder = createServer();
      listeners.push(holder);
      await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
      const up = run(["up", "-d"], "root");
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(`its port ${port} is taken by pid ${process.pid}`);
      expect(up.stderr).toContain(`kill ${process.pid}`);
    },
  );

  itWith(["postgres", "psql"], "a server that exits at start shows its own last lines and a hint", () => {
    const { run, home } = runtimeWorkspace(seeded);
    expect(run(["up", "-d"], "root")).toSucceed();
    expect(run(["down"], "root")).toSucceed();
    appendFileSync(join(serverRecord(home).dataDir, "postgresql.conf"), "shared_buffers = banana\n");
    const up = run(["up", "-d"], "root");
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/postgres@\d+ did not start/);
    expect(up.stderr).toContain('invalid value for parameter "shared_buffers": "banana"');
    expect(up.stderr).toContain("berth doctor");
  });

  itWith(
    ["postgres", "psql"],
    "after SIGKILL of supervisor and guardian together, up recovers: no migrate or seed again, rows intact",
    async () => {
      const { dir, run, home } = runtimeWorkspace(seeded);
      expect(run(["up", "-d"], "root")).toSucceed();
      psql(run, "INSERT INTO items VALUES ('mine')");
      const supervisor = Number(readFileSync(join(home, "supervisor.pid"), "utf8"));
      const guardian = childrenOf(supervisor).find((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("/bin/sh"),
      );
      expect(guardian).toBeDefined();
      const server = serverRecord(home);
      process.kill(guardian ?? 0, "SIGKILL");
      process.kill(supervisor, "SIGKILL");
      await until(() => !alive(supervisor), 5000, "the supervisor to die");
      // The server is left running, holding its data folder and port.
      const postmaster = Number(readFileSync(join(server.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      expect(alive(postmaster)).toBe(true);
      strays.push(postmaster);
      const doctor = run(["doctor"], "root");
      expect(doctor.stdout).toMatch(
        new RegExp(`✗ leftover +postgres@\\d+ runs without a supervisor \\(pid ${postmaster}\\)`),
      );
      expect(doctor.stdout).toContain("`berth up` stops it and starts it again");
      expect(doctor.stdout).toContain(`supervisor.pid names pid ${supervisor}, which is gone`);

      const again = run(["up", "-d"], "root");
      expect(again.stderr).toBe("");
      expect(again).toSucceed();
      expect(again.stdout).toContain("· migrate:root cached");
      expect(again.stdout).toContain("· seed:root cached");
      expect(running(postmaster)).toBe(false);
      expect(psql(run, "select name from items order by 1").stdout).toBe("mine\nseeded\n");
      expect(readFileSync(join(dir, "seeds.log"), "utf8")).toBe("seeded\n");
      expect(status(run, "root").filter((row) => row.process === "api")).toHaveLength(1);
    },
  );

  itWith(
    ["postgres", "psql"],
    "a lock left by a killed server is named by doctor; up starts anyway",
    async () => {
      const { run, home } = runtimeWorkspace(seeded);
      expect(run(["up", "-d"], "root")).toSucceed();
      const { dataDir } = serverRecord(home);
      const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      const supervisor = Number(readFileSync(join(home, "supervisor.pid"), "utf8"));
      for (const pid of [...childrenOf(supervisor), supervisor]) killQuietly(pid, "SIGKILL");
      await until(() => !running(postmaster) && !running(supervisor), 5000, "everything to die");
      const doctor = run(["doctor"], "root");
      expect(doctor.stdout).toContain(
        `✗ stale lock    ${join(dataDir, "postmaster.pid")} names pid ${postmaster}`,
      );
      const up = run(["up", "-d"], "root");
      expect(up.stderr).toBe("");
      expect(up).toSucceed();
      const rows = psql(run, "select count(*) from items");
      expect(rows.stderr).toBe("");
      expect(rows.stdout).toBe("1\n");
    },
  );

  itWith(
    ["postgres", "psql"],
    "a removed state folder: its data is adopted, not initialised over; a running supervisor never has a twin",
    async () => {
      const { dir, run, home } = runtimeWorkspace(seeded);
      expect(run(["up", "-d"], "root")).toSucceed();
      psql(run, "INSERT INTO items VALUES ('mine')");
      expect(run(["down", "--all"], "root")).toSucceed();
      rmSync(home, { recursive: true, force: true });
      const adopted = run(["up", "-d"], "root");
      expect(adopted).toSucceed();
      // The tasks done on that data were kept beside it: not done again.
      expect(adopted.stdout).toContain("· migrate:root cached");
      expect(adopted.stdout).toContain("· seed:root cached");
      expect(psql(run, "select name from items order by 1").stdout).toBe("mine\nseeded\n");

      // Removed while everything runs: the next up finds one supervisor, and the data.
      const first = Number(readFileSync(join(home, "supervisor.pid"), "utf8"));
      rmSync(home, { recursive: true, force: true });
      const up = run(["up", "-d"], "root");
      expect(up.stderr).toBe("");
      expect(up).toSucceed();
      await until(() => !alive(first), 20_000, "the first supervisor to stop");
      expect(supervisors(home)).toHaveLength(1);
      expect(psql(run, "select name from items order by 1").stdout).toBe("mine\nseeded\n");
      expect(readFileSync(join(dir, "seeds.log"), "utf8")).toBe("seeded\n");
    },
  );

  itWith(
    ["postgres", "psql"],
    "destroy of a workspace that is down starts its server to drop, then stops it",
    () => {
      const { run, home } = runtimeWorkspace(seeded);
      expect(run(["up", "-d"], "root")).toSucceed();
      expect(run(["down"], "root")).toSucceed();
      const { dataDir } = serverRecord(home);
      const destroyed = run(["destroy", "--yes"], "root");
      expect(destroyed.stdout).toMatch(/deleted root\/db: database root and its user root on postgres@\d+/);
      expect(destroyed.stdout).toContain(`its data folder ${dataDir} (no claim left on it)`);
      expect(status(run, "root")).toEqual([]);
      expect(existsSync(dataDir)).toBe(false);
      const again = run(["up", "-d"], "root");
      expect(again.stdout).toMatch(/✓ seed:root/);
      expect(psql(run, "select count(*) from items").stdout).toBe("1\n");
    },
  );

  itWith(["postgres"], "data Berth has no record of is refused, naming where it is", () => {
    const { run, home } = runtimeWorkspace(seeded);
    expect(run(["up", "-d"], "root")).toSucceed();
    expect(run(["down", "--all"], "root")).toSucceed();
    const { dataDir } = serverRecord(home);
    rmSync(`${dataDir}.berth.json`);
    rmSync(home, { recursive: true, force: true });
    const up = run(["up", "-d"], "root");
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(`will not initialise over it: ${dataDir}`);
    expect(up.stderr).toContain(`rm -rf ${dataDir}`);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
  });

  itWith(
    ["postgres"],
    "doctor lists data folders of removed state folders; destroy --orphans deletes them",
    () => {
      const { run, home } = runtimeWorkspace(seeded);
      expect(run(["up", "-d"], "root")).toSucceed();
      expect(run(["down", "--all"], "root")).toSucceed();
      const folder = join("/var/lib/berth", createHash("sha256").update(home).digest("hex").slice(0, 12));
      expect(existsSync(folder)).toBe(true);
      rmSync(home, { recursive: true, force: true });
      const other = runtimeWorkspace(seeded);
      const doctor = other.run(["doctor"], "root");
      expect(doctor.stdout).toContain(`${folder} (of the removed state folder ${home})`);
      expect(doctor.stdout).toContain("berth destroy --orphans --yes");
      const destroyed = other.run(["destroy", "--orphans", "--yes"], "root");
      expect(destroyed.stdout).toContain(`deleted ${folder}`);
      expect(existsSync(folder)).toBe(false);
    },
  );
});
