import { type ChildProcess, spawn } from "node:child_process";
import { splitRecords } from "../logs/index.js";
import type { Command } from "../manifest/index.js";
import { groupAlive } from "./process-table.js";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildOptions {
  command: Command;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onLine: (stream: "out" | "err", line: string) => void;
  /** Run as this account (servers, when Berth runs as root). */
  runAs?: { uid: number; gid: number } | undefined;
}

/**
 * A command in its own process group (a new session), whose output arrives line by line. Stopping it
 * signals the whole group, so a shell's children stop with it.
 */
export class Child {
  readonly pid: number;
  readonly startedAt = Date.now();
  readonly exited: Promise<Exit>;
  #exit: Exit | undefined;
  #stopping = false;
  /** Resolves when the leader has exited (before its output is drained). */
  readonly #leaderExited: Promise<void>;
  #markLeaderExited: () => void = () => {};

  private constructor(child: ChildProcess, onLine: ChildOptions["onLine"]) {
    this.pid = child.pid ?? -1;
    this.#leaderExited = new Promise((resolve) => {
      this.#markLeaderExited = resolve;
    });
    let outputClosed = 0;
    let resolveOutput: () => void = () => {};
    const outputDone = new Promise<void>((resolve) => {
      resolveOutput = resolve;
    });
    for (const [stream, readable] of [
      ["out", child.stdout],
      ["err", child.stderr],
    ] as const) {
      if (!readable) continue;
      splitRecords(
        readable,
        (line) => onLine(stream, line),
        () => {
          outputClosed += 1;
          if (outputClosed === 2) resolveOutput();
        },
      );
    }
    this.exited = new Promise<Exit>((resolve) => {
      child.once("error", (error: NodeJS.ErrnoException & { path?: string }) => {
        onLine(
          "err",
          error.code === "ENOENT"
            ? `cannot start ${error.path}: no such program or folder (is it installed, and on PATH?)`
            : `cannot start: ${error.message}`,
        );
        this.#exit = { code: 127, signal: null };
        this.#markLeaderExited();
        resolve(this.#exit);
      });
      child.once("exit", (code, signal) => {
        this.#exit = { code, signal };
        this.#markLeaderExited();
        // A leader that died on its own leaves nothing behind in its group; a stop handles its own group.
        if (!this.#stopping) this.#signalGroup("SIGKILL");
        // Lines still in the pipes are delivered before the exit is reported (bounded: a grandchild may hold them).
        void Promise.race([outputDone, new Promise((later) => setTimeout(later, 200))]).then(() =>
          resolve({ code, signal }),
        );
      });
    });
  }

  static spawn(options: ChildOptions): Child {
    const { file, args, env } = invocation(options.command, options.cwd, options.env);
    const child = spawn(file, args, {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
    });
    return new Child(child, options.onLine);
  }

  get running(): boolean {
    return this.#exit === undefined && this.pid > 0;
  }

  /**
   * SIGTERM to the group; SIGKILL to it once `graceMs` passed with any member left (a shell's child
   * that ignores SIGTERM outlives its shell). Resolves when the leader has exited and the group is empty.
   */
  async stop(graceMs: number): Promise<Exit> {
    if (!this.running) return this.exited;
    this.#stopping = true;
    this.#signalGroup("SIGTERM");
    const deadline = Date.now() + graceMs;
    // The leader's exit is told at once; members it leaves behind are polled for.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#leaderExited,
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    let pause = 1;
    while (this.#groupAlive() && Date.now() < deadline) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(pause, Math.max(1, deadline - Date.now()))),
      );
      pause = Math.min(pause * 2, 20);
    }
    if (this.#groupAlive()) this.#signalGroup("SIGKILL");
    return this.exited;
  }

  /** A running leader keeps its group alive: no need to read the process table for that. */
  #groupAlive(): boolean {
    return this.#exit === undefined || groupAlive(this.pid);
  }

  #signalGroup(signal: NodeJS.Signals): void {
    if (this.pid <= 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}

/** A word the shell would pass on as it is: no quotes, expansions, globs, comments or operators. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
/** dash's builtins and keywords: a program named so is the shell's own, not a file. */
const SHELL_OWN = new Set(
  "alias bg break cd command continue echo eval exec exit export false fc fg getopts hash jobs kill local printf pwd read readonly return set shift test times trap true type ulimit umask unalias unset wait [ . : if then else elif fi for while until do done case esac ! { }".split(
    " ",
  ),
);

/**
 * A command line the shell would only split into words, with leading assignments: run as it is, with
 * no shell at all (the shell costs ~1.5 ms of CPU per process, which ten starting at once share two cores
 * for). Undefined for anything the shell would interpret.
 */
export function plainCommand(
  command: string,
): { assignments: Record<string, string>; argv: string[] } | undefined {
  const words = command.trim().split(/[ \t]+/);
  if (!words.every((word) => PLAIN_WORD.test(word))) return undefined;
  const assignments: Record<string, string> = {};
  let index = 0;
  for (; index < words.length; index++) {
    const match = ASSIGNMENT.exec(words[index] ?? "");
    if (!match) break;
    assignments[match[1] ?? ""] = match[2] ?? "";
  }
  const argv = words.slice(index);
  const program = argv[0];
  // Whether a PATH given on the line is the one searched differs between shells: leave that to the shell.
  if (program === undefined || SHELL_OWN.has(program) || "PATH" in assignments) return undefined;
  return { assignments, argv };
}

/**
 * How a manifest's command runs: the program itself where no shell is needed, else `sh -c`; its env
 * tells its folder as PWD, as a shell would (a program started without one would see the caller's).
 */
export function invocation(
  command: Command,
  cwd: string,
  env: NodeJS.ProcessEnv,
): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (typeof command !== "string")
    return { file: command[0] ?? "", args: command.slice(1), env: { ...env, PWD: cwd } };
  const plain = plainCommand(command);
  if (!plain) return { file: "/bin/sh", args: ["-c", execSimple(command)], env: { ...env, PWD: cwd } };
  return {
    file: plain.argv[0] ?? "",
    args: plain.argv.slice(1),
    env: { ...env, ...plain.assignments, PWD: cwd },
  };
}

const SIMPLE = /^((?:[A-Za-z_][A-Za-z0-9_]*=[^\s'"`$;&|<>()]*\s+)*)([^;&|<>()`\n]+)$/;

/**
 * `exec` before a simple command line (words and leading assignments, no operators), so the shell
 * becomes the program: one process fewer, and signals reach the program itself. Anything else is left.
 */
export function execSimple(command: string): string {
  const match = SIMPLE.exec(command.trim());
  const program = match?.[2] ?? "";
  if (
    !match ||
    /^(exec|cd|export|set|\.|source)\b|^[A-Za-z_][A-Za-z0-9_]*=/.test(program) ||
    program.includes("$(")
  )
    return command;
  return `${match[1] ?? ""}exec ${program}`;
}
