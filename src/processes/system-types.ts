export interface ProcEntry {
  readonly pid: number;
  readonly pgrp: number;
  /** The first letter of the state: `Z` a zombie awaiting its reaper. */
  readonly state: string;
  readonly rssBytes: number;
  /** CPU time used so far, user and system, in clock ticks of 1/100 s (utime + stime). */
  readonly cpuTicks: number;
  /** The command line, arguments joined by spaces ("?" where it cannot be read). */
  readonly command: string;
}

export interface ProcStat {
  state: string;
  pgrp: number;
}

/** A process carrying an instance marker (`BERTH_INSTANCE`) in its environment. */
export interface MarkedProcess extends ProcStat {
  pid: number;
  marker: string;
}

/** A listening TCP socket bound beyond loopback and the process that holds it. */
export interface ExposedSocket {
  pid: number | undefined;
  address: string;
}

/** What Berth asks the system about processes; one implementation reads /proc, the other `ps` and `lsof`. */
export interface ProcessSystem {
  processTable(): ProcEntry[];
  stat(pid: number): ProcStat | undefined;
  /** When a process started, comparable only with other answers of the same implementation. */
  startTime(pid: number): number | undefined;
  commandLine(pid: number): string;
  markerOf(pid: number): string | undefined;
  /** Every process whose environment this user may read that carries a marker, in one pass. */
  markedProcesses(): MarkedProcess[];
  /** The process listening on a TCP port. */
  listenerOf(port: number): number | undefined;
  exposedSockets(): Promise<ExposedSocket[]>;
}
