import type { RuntimeEvent } from "../logs/index.js";
import { codebaseLogsDir, LogWriter, logFile } from "../logs/index.js";
import type { Guardian } from "./guardian.js";
import { type ProcessSpec, SupervisedProcess } from "./supervised-process.js";

/** Told each event, with the process it is about (none for events of no process). */
export type Listener = (event: RuntimeEvent, process?: SupervisedProcess) => void;

/**
 * Every process the supervisor runs, whatever workspace started it, keyed by codebase folder and
 * process name: a codebase runs once, shared by the workspaces that need it.
 */
export class Registry {
  readonly home: string;
  readonly guardian: Guardian;
  readonly #processes = new Map<string, SupervisedProcess>();
  readonly #listeners = new Set<Listener>();
  readonly #logs = new Map<SupervisedProcess, LogWriter>();

  constructor(home: string, guardian: Guardian) {
    this.home = home;
    this.guardian = guardian;
  }

  get(dir: string, process: string): SupervisedProcess | undefined {
    return this.#processes.get(`${dir}#${process}`);
  }

  all(): SupervisedProcess[] {
    return [...this.#processes.values()];
  }

  /** Replaces any earlier process of the same codebase folder and name (which must be stopped). */
  add(spec: ProcessSpec): SupervisedProcess {
    const key = `${spec.dir}#${spec.process}`;
    const previous = this.#processes.get(key);
    if (previous) this.#closeLog(previous);
    const log = new LogWriter(logFile(codebaseLogsDir(this.home, spec.codebase, spec.dir), spec.process));
    const process: SupervisedProcess = new SupervisedProcess(spec, {
      log,
      emit: (event) => this.broadcast(event, process),
      onGroupStart: (pgid) => this.guardian.watch(pgid),
      onGroupEnd: (pgid) => this.guardian.forget(pgid),
    });
    for (const owner of previous?.owners ?? []) process.owners.add(owner);
    process.lastReload = previous?.lastReload;
    this.#logs.set(process, log);
    this.#processes.set(key, process);
    return process;
  }

  remove(process: SupervisedProcess): void {
    this.#closeLog(process);
    this.#processes.delete(`${process.spec.dir}#${process.spec.process}`);
  }

  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  broadcast(event: RuntimeEvent, process?: SupervisedProcess): void {
    for (const listener of this.#listeners) listener(event, process);
  }

  #closeLog(process: SupervisedProcess): void {
    this.#logs.get(process)?.close();
    this.#logs.delete(process);
  }
}
