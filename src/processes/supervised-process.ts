import { BerthError } from "../errors/index.js";
import type { ProcessState, RuntimeEvent } from "../logs/index.js";
import { type LogWriter, Masker } from "../logs/index.js";
import type { Command, Probe } from "../manifest/index.js";
import { formatDuration } from "../manifest/index.js";
import { CRASH_LOOP, FailureWindow, restartDelayMs } from "./backoff.js";
import { Child, type Exit } from "./child.js";
import { exposedListeners, exposureWarning } from "./exposure.js";
import { describeProbe, type ProbeResult, probeOnce, probing } from "./probe.js";
import type { ProcessStatus } from "./status.js";
import { findStrays, INSTANCE_VAR, newInstance, stopStrays } from "./strays.js";

export interface ProcessSpec {
  codebase: string;
  process: string;
  dir: string;
  command: Command;
  env: NodeJS.ProcessEnv;
  port: number | undefined;
  probe: Probe | undefined;
  restart: "no" | "on-failure" | "always";
  stopTimeoutMs: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  startPeriodMs: number;
  /** Identifies the spec's content: an `up` with the same hash leaves the running process alone. */
  hash: string;
  /** Folders of the codebases this one requires: they stop after it. */
  requires: string[];
  /** A readiness try of its own (a provider's client round trip), instead of `probe`. */
  ping?: () => Promise<ProbeResult>;
  runAs?: { uid: number; gid: number } | undefined;
  /** Values hidden in its output before anything stores or shows a line. */
  secrets?: readonly string[];
}

export interface ProcessHooks {
  log: LogWriter;
  emit: (event: RuntimeEvent) => void;
  onGroupStart: (pgid: number) => void;
  onGroupEnd: (pgid: number) => void;
}

const LAST_LINES = 30;
/** How long a process without a readiness probe must run, without exiting, to count as ready. */
export const NO_PROBE_GRACE_MS = 500;

/** One process kept running: started, probed, restarted by its policy, stopped by escalation. */
export class SupervisedProcess {
  readonly spec: ProcessSpec;
  /** The marker every descendant inherits (`BERTH_INSTANCE`), so that one which left the group is found. */
  readonly instance = newInstance();
  /** The workspaces (by root folder) whose `up` runs it: theirs to stop, whatever folder it ran from. */
  readonly owners = new Set<string>();
  state: ProcessState = "pending";
  restarts = 0;
  waiting: string | undefined;
  readonly #hooks: ProcessHooks;
  #secrets: readonly string[];
  #masker: Masker;
  readonly #lastLines: string[] = [];
  readonly #failures = new FailureWindow();
  #child: Child | undefined;
  #stopping = false;
  #readyWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  #logMatched = false;
  /** Ends the probe's current pause early: a log probe's line arrived. */
  #wake: (() => void) | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #lastExit: Exit | undefined;
  /** Why it is in its state (how it exited, the crash loop, the probe's deadline). */
  #detail: string | undefined;

  constructor(spec: ProcessSpec, hooks: ProcessHooks) {
    this.spec = spec;
    this.#hooks = hooks;
    this.#secrets = spec.secrets ?? [];
    this.#masker = new Masker(this.#secrets);
  }

  /** A secret made after it started (a server's new claim password) is hidden from then on too. */
  hide(secret: string): void {
    this.#secrets = [...this.#secrets, secret];
    this.#masker = new Masker(this.#secrets);
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
    return [...this.#lastLines];
  }

  start(): void {
    this.#stopping = false;
    this.#launch();
  }

  /** Resolves once the probe passes; rejects when the process crashes for good or the probe's deadline passes. */
  whenReady(): Promise<void> {
    if (this.state === "ready") return Promise.resolve();
    if (
      this.state === "crashed" ||
      this.state === "failed" ||
      this.state === "stopped" ||
      this.state === "exited"
    ) {
      return Promise.reject(this.#failure(`${this.name} is ${this.state}`));
    }
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  /** The group the leader leads (running or not): a signal to it reaches every member that stayed. */
  get group(): number | undefined {
    return this.#child && this.#child.pid > 0 ? this.#child.pid : undefined;
  }

  /**
   * Stops the group and every descendant that left it. `strays` are those found beforehand (one /proc
   * pass for many processes being stopped); found here when not given.
   */
  async stop(
    strays = findStrays(new Map([[this.instance, this.group]])).get(this.instance) ?? [],
  ): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    const straysStopped = stopStrays(strays, this.instance, this.spec.stopTimeoutMs);
    if (child?.running) {
      this.#setState("stopping");
      await child.stop(this.spec.stopTimeoutMs);
    }
    await straysStopped;
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
    };
  }

  #launch(): void {
    const attempt = ++this.#attempt;
    this.#logMatched = false;
    const logPattern = this.spec.probe?.log !== undefined ? new RegExp(this.spec.probe.log) : undefined;
    const child = Child.spawn({
      command: this.spec.command,
      cwd: this.spec.dir,
      env: { ...this.spec.env, [INSTANCE_VAR]: this.instance },
      runAs: this.spec.runAs,
      onLine: (stream, output) => {
        const line = this.#masker.mask(output);
        this.#remember(line);
        const t = Date.now();
        this.#hooks.log.write({ t, s: stream, l: line });
        this.#hooks.emit({
          type: "line",
          codebase: this.spec.codebase,
          name: this.spec.process,
          stream,
          line,
          t,
        });
        if (logPattern?.test(line)) {
          this.#logMatched = true;
          this.#wake?.();
        }
      },
    });
    this.#child = child;
    if (child.pid > 0) this.#hooks.onGroupStart(child.pid);
    this.#setState("starting");
    void child.exited.then((exit) => this.#onExit(child, exit));
    void this.#probe(attempt, child);
  }

  async #probe(attempt: number, child: Child): Promise<void> {
    const { probe, port } = this.spec;
    const started = Date.now();
    const deadline = started + this.spec.probeTimeoutMs;
    // An exec probe's command and output may carry a secret, and both are shown in status and errors.
    const what = this.#masker.mask(this.spec.ping ? `${this.name} round trip` : describeProbe(probe, port));
    if (probe === undefined && !this.spec.ping) {
      // Without a probe, having started is not enough: a process that exits at once is not ready.
      await Promise.race([sleep(NO_PROBE_GRACE_MS), child.exited]);
      if (child.running && !this.#stopping) this.#becomeReady(attempt);
      return;
    }
    await sleep(this.spec.startPeriodMs);
    let tries = 0;
    let backoff = 0;
    let last = "no try yet";
    const leave = probing.enter();
    try {
      while (this.#attempt === attempt && child.running && !this.#stopping) {
        tries += 1;
        const result = this.spec.ping
          ? await this.spec.ping()
          : probe === undefined
            ? { ok: true, detail: "no probe" }
            : probe.log !== undefined
              ? { ok: this.#logMatched, detail: "no matching line yet" }
              : await probeOnce(
                  probe,
                  { port, cwd: this.spec.dir, env: this.spec.env },
                  Math.min(2000, Math.max(100, deadline - Date.now())),
                );
        if (this.#attempt !== attempt || !child.running) return;
        if (result.ok) return this.#becomeReady(attempt);
        last = this.#masker.mask(result.detail);
        const elapsed = Date.now() - started;
        this.waiting = `${what} ${last}, ${tries} ${tries === 1 ? "try" : "tries"}, ${formatDuration(elapsed)}`;
        if (Date.now() >= deadline) {
          const message = `${this.name} did not become ready in ${formatDuration(this.spec.probeTimeoutMs)}: ${what} ${last} after ${tries} tries`;
          this.#hooks.log.write({ t: Date.now(), s: "berth", l: message });
          this.waiting = undefined;
          this.#setState("failed", message);
          this.#settleWaiters(
            this.#failure(message, "check the probe (port, path, pattern) and the process's output above"),
          );
          await child.stop(this.spec.stopTimeoutMs);
          return;
        }
        // Paced tries while a fast start is likely, then backing off to the probe's interval.
        backoff =
          elapsed > 500 ? Math.min(Math.max(backoff, probing.delayMs()) * 1.5, this.spec.probeIntervalMs) : 0;
        await this.#pause(Math.min(backoff || probing.delayMs(), Math.max(0, deadline - Date.now())));
      }
    } finally {
      leave();
    }
  }

  /** Waits `ms`, or less when a log probe's line arrives meanwhile. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  #becomeReady(attempt: number): void {
    if (this.#attempt !== attempt) return;
    this.waiting = undefined;
    this.#checkExposure();
    this.#setState("ready");
    for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve();
  }

  #onExit(child: Child, exit: Exit): void {
    if (child.pid > 0) this.#hooks.onGroupEnd(child.pid);
    if (this.#child !== child || this.#stopping || this.state === "failed") return;
    this.#lastExit = exit;
    const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    this.#hooks.log.write({ t: Date.now(), s: "berth", l: `${this.name} ${how}` });
    const failed = exit.code !== 0;
    const restart = this.spec.restart === "always" || (this.spec.restart === "on-failure" && failed);
    if (failed) this.#failures.record();
    if (!restart) {
      this.#setState(failed ? "crashed" : "exited", how);
      this.#settleWaiters(this.#failure(`${this.name} ${how}`));
      return;
    }
    if (this.#failures.isLoop) {
      const message = `${this.name} crashed ${this.#failures.recent} times in ${CRASH_LOOP.windowMs / 1000} s; not restarting it`;
      this.#hooks.log.write({ t: Date.now(), s: "berth", l: message });
      this.#setState("crashed", message);
      this.#settleWaiters(this.#failure(message, `fix it, then \`berth restart ${this.name}\``));
      return;
    }
    const delay = restartDelayMs(Math.max(1, this.#failures.recent));
    this.#setState("backoff", `${how}; restarting in ${formatDuration(delay)}`);
    this.#restartTimer = setTimeout(() => {
      if (this.#stopping) return;
      this.restarts += 1;
      this.#launch();
    }, delay);
  }

  /** Ready and listening on its port beyond loopback: said once, in its log and to whoever watches. */
  #checkExposure(): void {
    const group = this.group;
    if (group === undefined) return;
    const addresses = exposedListeners(new Map([[group, this.instance]])).get(group) ?? [];
    if (addresses.length === 0) return;
    const message = exposureWarning(addresses);
    this.#hooks.log.write({ t: Date.now(), s: "berth", l: message });
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

  #remember(line: string): void {
    this.#lastLines.push(line);
    if (this.#lastLines.length > LAST_LINES) this.#lastLines.shift();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
