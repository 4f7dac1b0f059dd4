import { type Stats, stat } from "node:fs";

/** Chokidar drops a change that follows another of the same file within 50 ms; a look after that catches it. */
const CHOKIDAR_CHANGE_THROTTLE_MS = 50;

type Fingerprint = string;

function fingerprint(stats: Stats): Fingerprint {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/**
 * Looks at a file again just after the window in which chokidar would drop a second change (a formatter
 * rewriting a file just saved, two quick atomic saves), and reports it changed if it differs from what the
 * first event saw.
 */
export class TrailingCheck {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onChanged: (path: string) => void) {}

  saw(path: string, stats: Stats | undefined): void {
    if (stats === undefined) return;
    clearTimeout(this.timers.get(path));
    const seen = fingerprint(stats);
    const timer = setTimeout(() => {
      this.timers.delete(path);
      stat(path, (error, now) => {
        if (error === null && this.timers.get(path) === undefined && fingerprint(now) !== seen) {
          this.onChanged(path);
          this.saw(path, now);
        }
      });
    }, CHOKIDAR_CHANGE_THROTTLE_MS + 10);
    timer.unref();
    this.timers.set(path, timer);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
