import { runSupervisor } from "./supervisor/run-supervisor.js";

/**
 * The supervisor process: `node supervisor.js <state folder>`, started on demand by the CLI. Its composition
 * root: the dashboard (which sits above the library the CLI uses) is loaded on the first `berth dashboard` only.
 */
const home = process.argv[2];
if (!home) {
  process.stderr.write("usage: supervisor.js <state folder>\n");
  process.exit(2);
}
await runSupervisor(home, {
  startDashboard: async (host) => (await import("./dashboard/index.js")).startDashboard(host),
});
