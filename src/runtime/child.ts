import { type ChildProcess, spawn } from "node:child_process";
import type { Command } from "../manifest/index.js";
import { splitLines } from "./lines.js";
import { groupAlive } from "./proc.js";

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
      splitLines(
        readable,
        (line) => onLine(stream, line),
        () => {
          outputClosed += 1;
          if (outputClosed === 2) resolveOutput();
        },
      );
    }
    this.exited = new Promise<Exit>((resolve) => {
      child.once("error", (error) => {
        onLine("err", `cannot start: ${error.message}`);
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
    const [file, args] =
      typeof options.command === "string"
        ? ["/bin/sh", ["-c", execSimple(options.command)]]
        : [options.command[0] ?? "", options.command.slice(1)];
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
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
