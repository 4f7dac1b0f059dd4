import { type ChildProcess, spawn } from "node:child_process";
import { writeCoalesced } from "../logs/index.js";
import type { GroupList } from "./group-list.js";
import { PROC_MODE } from "./proc-mode.js";
import { INSTANCE_VAR, SUPERVISOR_MARK } from "./strays.js";

/**
 * A tiny shell process that outlives the supervisor by design: the supervisor tells it each process
 * group it starts and ends through a pipe; when the pipe closes because the supervisor died (even by
 * SIGKILL), the guardian stops every group still listed, SIGTERM then SIGKILL, and every process that left
 * its group but carries the supervisor's mark. No process outlives Berth.
 */
const SCRIPT = `
groups=" "
while IFS= read -r line; do
  case "$line" in
    "+ "*) groups="$groups\${line#+ } " ;;
    "- "*) groups=$(printf '%s' "$groups" | sed "s/ \${line#- } / /") ;;
  esac
done
# Descendants that left their groups carry the supervisor's mark in their environment: read from /proc, or
# from the environments \`ps\` shows after each command (procps \`e\`, BSD \`-E\`).
strays() {
  case "$3" in
    procfs) grep -la "$1=$2-" /proc/[0-9]*/environ 2>/dev/null | sed 's|^/proc/||; s|/environ$||' ;;
    ps) { ps axeww -o pid=,command= 2>/dev/null || ps -axEww -o pid=,command=; } |
      awk -v mark="$1=$2-" 'index($0, " " mark) { print $1 }' ;;
  esac
}
left=$(strays "$@")
[ "$groups" = " " ] && [ -z "$left" ] && exit 0
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
for p in $left; do kill -s TERM "$p" 2>/dev/null; done
sleep 2
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
for p in $(strays "$@"); do kill -s KILL "$p" 2>/dev/null; done
`;

export class Guardian {
  readonly #process: ChildProcess;
  readonly #groups: GroupList | undefined;

  /** `groups` also lists them in the state folder, for a supervisor that follows one killed with its guardian. */
  constructor(groups?: GroupList) {
    this.#groups = groups;
    this.#process = spawn("/bin/sh", ["-c", SCRIPT, "guardian", INSTANCE_VAR, SUPERVISOR_MARK, PROC_MODE], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    this.#process.unref();
    this.#process.stdin?.on("error", () => {});
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  watch(pgid: number): void {
    this.#tell(`+ ${pgid}\n`);
    this.#groups?.add(pgid);
  }

  forget(pgid: number): void {
    this.#tell(`- ${pgid}\n`);
    this.#groups?.delete(pgid);
  }

  #tell(line: string): void {
    if (this.#process.stdin) writeCoalesced(this.#process.stdin, line);
  }

  /** A clean goodbye: nothing is left to stop, the guardian exits. */
  close(): void {
    this.#process.stdin?.end();
  }
}
