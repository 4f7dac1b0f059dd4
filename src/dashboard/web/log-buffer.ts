/** One log line as the page keeps it. */
export interface PageLine {
  key: number;
  root: string | null;
  codebase: string;
  name: string;
  stream: "out" | "err" | "berth";
  text: string;
  t: number;
}

export interface LogChunk {
  id: number;
  lines: PageLine[];
}

/** Lines kept in memory, and lines kept on the page (so a flood neither exhausts memory nor the DOM). */
export const MEMORY_CAP = 20_000;
export const DOM_CAP = 5_000;
/**
 * At most this many new lines drawn a frame (15,000 a second at 60 frames): past it a frame would take
 * longer, more lines would wait for the next, and the page would fall behind for good. The lines not drawn
 * stay in memory (a search or a filter draws them) and a line says how many.
 */
const DRAWN_PER_FRAME = 250;
/** Lines drawn as one unit: a full chunk is never drawn again, so a frame redraws at most one. */
export const CHUNK_SIZE = 250;

/**
 * The log panel's lines: new ones are queued and added once per animation frame, however fast they come;
 * the shown ones (those that pass the filter) are grouped in chunks, the oldest dropped past DOM_CAP.
 */
export class LogBuffer {
  chunks: LogChunk[] = [];
  private lines: PageLine[] = [];
  private queued: PageLine[] = [];
  private filter: (line: PageLine) => boolean = () => true;
  private nextKey = 0;
  private nextChunk = 0;
  private frame = 0;

  constructor(private readonly changed: () => void) {}

  add(line: Omit<PageLine, "key">): void {
    this.queued.push({ ...line, key: this.nextKey++ });
    if (this.queued.length > MEMORY_CAP + CHUNK_SIZE) this.queued.splice(0, this.queued.length - MEMORY_CAP);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** History read for the view: lines that came live while it was read, newer than it, are kept after it. */
  replace(history: Omit<PageLine, "key">[]): void {
    const last = history.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
    const newer = [...this.lines, ...this.queued].filter((line) => line.t > last);
    this.queued = [];
    this.lines = [...history.map((line) => ({ ...line, key: this.nextKey++ })), ...newer].slice(-MEMORY_CAP);
    this.rebuild();
  }

  clear(): void {
    this.queued = [];
    this.lines = [];
    this.rebuild();
  }

  setFilter(filter: (line: PageLine) => boolean): void {
    this.filter = filter;
    this.rebuild();
  }

  shownCount(): number {
    return this.chunks.reduce((total, chunk) => total + chunk.lines.length, 0);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private flush(): void {
    this.frame = 0;
    const batch = this.queued;
    this.queued = [];
    this.lines.push(...batch);
    if (this.lines.length > MEMORY_CAP + CHUNK_SIZE) this.lines.splice(0, this.lines.length - MEMORY_CAP);
    const shown = batch.filter(this.filter);
    const skipped = shown.length - DRAWN_PER_FRAME;
    if (skipped > 0) {
      const last = shown[shown.length - 1];
      const note: PageLine = {
        key: this.nextKey++,
        root: last?.root ?? null,
        codebase: last?.codebase ?? "",
        name: last?.name ?? "",
        stream: "berth",
        text: `… ${skipped} lines came faster than the page draws: kept, not drawn (search or filter to see them)`,
        t: last?.t ?? 0,
      };
      this.show([note, ...shown.slice(-DRAWN_PER_FRAME)]);
    } else {
      this.show(shown);
    }
    this.changed();
  }

  private rebuild(): void {
    this.chunks = [];
    this.show(this.lines.filter(this.filter).slice(-DOM_CAP));
    this.changed();
  }

  private show(lines: PageLine[]): void {
    for (const line of lines) {
      let last = this.chunks.at(-1);
      if (!last || last.lines.length >= CHUNK_SIZE) {
        last = { id: this.nextChunk++, lines: [] };
        this.chunks.push(last);
      }
      last.lines.push(line);
    }
    let shown = this.shownCount();
    while (this.chunks.length > 1 && shown - (this.chunks[0]?.lines.length ?? 0) >= DOM_CAP) {
      shown -= this.chunks.shift()?.lines.length ?? 0;
    }
  }
}
