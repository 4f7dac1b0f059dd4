import { BerthError } from "../errors/index.js";
import type { ProcessState, Reload } from "../logs/index.js";
import { FailureWindow } from "./backoff.js";
import { Child, type Exit } from "./child.js";
import { exposureOf, exposureWarning } from "./exposure.js";
import { Pause } from "./pause.js";
import { ProcessOutput } from "./process-output.js";
import { awaitReadiness } from "./readiness.js";
import { afterExit, exitWords } from "./restart-policy.js";
import type { ProcessStatus } from "./status.js";
import { findStrays, INSTANCE_VAR, newInstance, stopStrays } from "./strays.js";
import type { ProcessHooks, ProcessSpec, RunningChild } from "./supervised-spec.js";

export { NO_PROBE_GRACE_MS } from "./readiness.js";
export type { ProcessHooks, ProcessSpec, RunningChild } from "./supervised-spec.js";

/** One process kept running: started, probed, restarted by its policy, stopped by escalation. */
export class SupervisedProcess {
  readonly spec: ProcessSpec;
  /** The marker every descendant inherits (`BERTH_INSTANCE`), so that one which left the group is found. */
  readonly instance = newInstance();
  /** The workspaces (by root folder) whose `up` runs it: theirs to stop, whatever folder it ran from. */
  readonly owners = new Set<string>();
  state: ProcessState = "pending";
  restarts = 0;
  /** The last reload of it (its files changed while it ran), for `status`. */
  lastReload: Reload | undefined;
  waiting: string | undefined;
  readonly #hooks: ProcessHooks;
  readonly #output: ProcessOutput;
  readonly #failures = new FailureWindow();
  #child: RunningChild | undefined;
  #stopping = false;
  #readyWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** Ends the current start's probing (its waits included) when it stops or restarts. */
  #probing = new AbortController();
  #restartTimer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #readyAt: number | undefined;
  #lastExit: Exit | undefined;
  /** Why it is in its state (how it exited, the crash loop, the probe's deadline). */
  #detail: string | undefined;

  constructor(spec: ProcessSpec, hooks: ProcessHooks) {
    this.spec = spec;
    this.#hooks = hooks;
    this.#output = new ProcessOutput(spec.codebase, spec.process, spec.secrets ?? [], hooks.log, hooks.emit);
  }

  /** A secret made after it started (a server's new claim password) is hidden from then on too. */
  hide(secret: string): void {
    this.#output.hide(secret);
  }

  get name(): string {
    return `${this.spec.codebase}/${this.spec.process}`;
  }

  get pid(): number | undefined {
    return this.#child?.running ? this.#child.pid : undefined;
  }

  get running(): boolean {
    return this.#child?.running ?? false;
  }

  /** Why it is in its state, in words (how it exited, the crash loop, the probe's deadline). */
  get reason(): string | undefined {
    return this.#detail;
  }

  lastLines(): string[] {
    return this.#output.lastLines();
  }

  /** Writes a line of Berth's own (a reload, a warning) into its log. */
  note(line: string): void {
    this.#output.note(line);
  }

  /** When its current run started (undefined when it never ran). */
  get startedAt(): number | undefined {
    return this.#child?.startedAt;
  }

  /** When its current run became ready (undefined until it has). */
  get readyAt(): number | undefined {
    return this.#readyAt;
  }

  start(): void {
    this.#stopping = false;
    this.#launch();
  }

  /**
   * Resolves once the probe passes; rejects when the process crashes for good or the probe's deadline
   * passes, or (BERTH_CANCELLED) when `signal` aborts: that ends this wait only, the process goes on.
   */
  whenReady(signal?: AbortSignal): Promise<void> {
    if (this.state === "ready") return Promise.resolve();
    if (
      this.state === "crashed" ||
      this.state === "failed" ||
      this.state === "stopped" ||
      this.state === "exited"
    ) {
      return Promise.reject(this.#failure(`${this.name} is ${this.state}`));
    }
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#readyWaiters = this.#readyWaiters.filter((other) => other !== waiter);
        reject(cancelled());
      };
      const waiter = {
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        reject: (error: Error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#readyWaiters.push(waiter);
    });
  }

  /** The group the leader leads (running or not): a signal to it reaches every member that stayed. */
  get group(): number | undefined {
    return this.#child && this.#child.pid > 0 ? this.#child.pid : undefined;
  }

  /**
   * Stops the group and every descendant that left it. `strays` are those found beforehand (one /proc
   * pass for many processes being stopped); found here when not given, once the group has its SIGTERM (a
   * stray is outside the group: the search need not delay the group's stop, as it would a restart).
   */
  async stop(strays?: number[]): Promise<void> {
    this.#stopping = true;
    this.#probing.abort();
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    const group = this.group;
    let groupStopped: Promise<unknown> | undefined;
    if (child?.running) {
      this.#setState("stopping");
      groupStopped = child.stop(this.spec.stopTimeoutMs);
    }
    const found = strays ?? findStrays(new Map([[this.instance, group]])).get(this.instance) ?? [];
    await Promise.all([groupStopped, stopStrays(found, this.instance, this.spec.stopTimeoutMs)]);
    this.#setState("stopped");
    this.#settleWaiters(this.#failure(`${this.name} was stopped`));
  }

  /** `exposed`: where each group listens beyond loopback (see exposedListeners). */
  status(rss: Map<number, number>, exposed: Map<number, string[]> = new Map()): ProcessStatus {
    const pid = this.pid ?? null;
    const ended = ["crashed", "failed", "exited", "backoff"].includes(this.state);
    return {
      codebase: this.spec.codebase,
      process: this.spec.process,
      state: this.state,
      pid,
      port: this.spec.port ?? null,
      restarts: this.restarts,
      uptime_s:
        pid !== null && this.#child ? Math.round((Date.now() - this.#child.startedAt) / 100) / 10 : null,
      rss_bytes: pid !== null ? (rss.get(pid) ?? null) : null,
      ...(this.waiting ? { waiting: this.waiting } : {}),
      exposed: pid !== null ? (exposed.get(pid) ?? []) : [],
      exit_code: ended ? (this.#lastExit?.code ?? null) : null,
      exit_signal: ended ? (this.#lastExit?.signal ?? null) : null,
      ...(ended && this.#detail ? { reason: this.#detail } : {}),
      dir: this.spec.dir,
      ...(this.lastReload ? { last_reload: lastReloadStatus(this.lastReload) } : {}),
    };
  }

  #launch(): void {
    const attempt = ++this.#attempt;
    this.#readyAt = undefined;
    this.#probing.abort();
    this.#probing = new AbortController();
    const pause = new Pause(this.#probing.signal);
    let logMatched = false;
    const logPattern = this.spec.probe?.log !== undefined ? new RegExp(this.spec.probe.log) : undefined;
    const child = (this.#hooks.spawn ?? Child.spawn)({
      command: this.spec.command,
      cwd: this.spec.dir,
      env: { ...this.spec.env, [INSTANCE_VAR]: this.instance },
      runAs: this.spec.runAs,
      onLine: (stream, output) => {
        const line = this.#output.line(stream, output);
        if (logPattern?.test(line)) {
          logMatched = true;
          pause.wake();
        }
      },
    });
    this.#child = child;
    if (child.pid > 0) this.#hooks.onGroupStart(child.pid);
    this.#setState("starting");
    void child.exited.then((exit) => this.#onExit(child, exit));
    void this.#probe(attempt, child, pause, () => logMatched);
  }

  async #probe(attempt: number, child: RunningChild, pause: Pause, logMatched: () => boolean): Promise<void> {
    const readiness = await awaitReadiness({
      spec: this.spec,
      name: this.name,
      child,
      pause,
      mask: (text) => this.#output.mask(text),
      current: () => this.#attempt === attempt,
      logMatched,
      onWaiting: (text) => {
        this.waiting = text;
      },
    });
    if (readiness.outcome === "ready") return this.#becomeReady(attempt);
    if (readiness.outcome === "gone") return;
    this.#output.note(readiness.message);
    this.#setState("failed", readiness.message);
    this.#settleWaiters(
      this.#failure(
        readiness.message,
        "check the probe (port, path, pattern) and the process's output above",
      ),
    );
    await child.stop(this.spec.stopTimeoutMs);
  }

  #becomeReady(attempt: number): void {
    if (this.#attempt !== attempt) return;
    this.#readyAt = Date.now();
    this.waiting = undefined;
    if (!this.spec.bindsLoopback) void this.#checkExposure();
    this.#setState("ready");
    for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve();
  }

  #onExit(child: RunningChild, exit: Exit): void {
    if (child.pid > 0) this.#hooks.onGroupEnd(child.pid);
    if (this.#child !== child || this.#stopping || this.state === "failed") return;
    this.#lastExit = exit;
    this.#output.note(`${this.name} ${exitWords(exit)}`);
    const next = afterExit(this.name, this.spec.restart, exit, this.#failures);
    if (next.action === "stay") {
      this.#setState(next.state, next.detail);
      this.#settleWaiters(this.#failure(`${this.name} ${next.detail}`));
      return;
    }
    if (next.action === "crash-loop") {
      this.#output.note(next.detail);
      this.#setState("crashed", next.detail);
      this.#settleWaiters(this.#failure(next.detail, `fix it, then \`berth restart ${this.name}\``));
      return;
    }
    this.#setState("backoff", next.detail);
    this.#restartTimer = setTimeout(() => {
      if (this.#stopping) return;
      this.restarts += 1;
      this.#launch();
    }, next.delayMs);
  }

  /** Ready and listening on its port beyond loopback: said once, in its log and to whoever watches. */
  async #checkExposure(): Promise<void> {
    const group = this.group;
    if (group === undefined) return;
    const addresses = await exposureOf(group, this.instance);
    if (addresses.length === 0 || this.group !== group) return;
    const message = exposureWarning(addresses);
    this.#output.note(message);
    this.#hooks.emit({
      type: "exposed",
      codebase: this.spec.codebase,
      process: this.spec.process,
      addresses,
    });
  }

  #setState(state: ProcessState, detail?: string): void {
    this.state = state;
    this.#detail = detail;
    this.#hooks.emit({
      type: "process",
      codebase: this.spec.codebase,
      process: this.spec.process,
      state,
      ...(detail ? { detail } : {}),
    });
  }

  #settleWaiters(error: Error): void {
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(error);
  }

  #failure(message: string, hint?: string): BerthError {
    return new BerthError("BERTH_PROCESS_FAILED", message, { hint });
  }
}

function cancelled(): BerthError {
  return new BerthError("BERTH_CANCELLED", "cancelled");
}

function lastReloadStatus({ t, files, outcome, message }: Reload): ProcessStatus["last_reload"] {
  return { at: new Date(t).toISOString(), files, outcome, message };
}
