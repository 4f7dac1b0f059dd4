import type { RuntimeEvent } from "../logs/index.js";
import { type LogWriter, Masker } from "../logs/index.js";

const LAST_LINES = 30;

/** A process's output: secrets masked, then stored in its log, shown to watchers, the last lines kept. */
export class ProcessOutput {
  #secrets: readonly string[];
  #masker: Masker;
  readonly #lastLines: string[] = [];

  constructor(
    readonly codebase: string,
    readonly process: string,
    secrets: readonly string[],
    readonly log: LogWriter,
    readonly emit: (event: RuntimeEvent) => void,
  ) {
    this.#secrets = secrets;
    this.#masker = new Masker(secrets);
  }

  hide(secret: string): void {
    this.#secrets = [...this.#secrets, secret];
    this.#masker = new Masker(this.#secrets);
  }

  mask(text: string): string {
    return this.#masker.mask(text);
  }

  /** One line of the command's output; returns it masked. */
  line(stream: "out" | "err", output: string): string {
    const line = this.mask(output);
    this.#lastLines.push(line);
    if (this.#lastLines.length > LAST_LINES) this.#lastLines.shift();
    const t = Date.now();
    this.log.write({ t, s: stream, l: line });
    this.emit({ type: "line", codebase: this.codebase, name: this.process, stream, line, t });
    return line;
  }

  /** A line of Berth's own about the process, in its log only. */
  note(line: string): void {
    this.log.write({ t: Date.now(), s: "berth", l: line });
  }

  lastLines(): string[] {
    return [...this.#lastLines];
  }
}
