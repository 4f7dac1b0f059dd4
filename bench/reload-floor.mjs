// The floor of a reload: a bare Node script that restarts a server on the first change of one file, and does
// nothing else (no debounce, no globs, no ignore rules, no readiness probe). It is run as its own process, as
// nodemon, entr and Berth's supervisor are.
//
//   node bench/reload-floor.mjs <file> <command> [args…]
//
// On the first event it sends SIGTERM to the server, waits for its exit and spawns it again; events that arrive
// meanwhile (one write of a file is a truncate and a write: two events) are part of the same restart.
import { spawn } from "node:child_process";
import { watch } from "node:fs";

const [file, command, ...args] = process.argv.slice(2);
const start = () => spawn(command, args, { stdio: "inherit" });
let child = start();
let restarting = false;

watch(file, () => {
  if (restarting) return;
  restarting = true;
  child.once("exit", () => {
    child = start();
    restarting = false;
  });
  child.kill("SIGTERM");
});

process.on("SIGTERM", () => {
  if (child.exitCode !== null || child.signalCode !== null) process.exit(0);
  child.once("exit", () => process.exit(0));
  child.kill("SIGTERM");
});
