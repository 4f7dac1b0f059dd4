/**
 * The last messages sent, kept as bytes in one preallocated buffer: a flood of lines makes no garbage for the
 * collector to promote (the supervisor's heap stays put), and what is kept is bounded both in messages and in
 * bytes. Written sequentially, wrapping to the start when a message does not fit before the end.
 */
export class MessageRing {
  readonly #bytes: Buffer;
  readonly #ids: Float64Array;
  readonly #starts: Uint32Array;
  readonly #lengths: Uint32Array;
  /** Index (in the entry arrays) of the oldest kept message, and how many are kept. */
  #head = 0;
  #count = 0;
  #cursor = 0;
  /** The highest id no longer kept (0: nothing dropped yet). */
  dropped = 0;

  constructor(messages: number, bytes: number) {
    this.#bytes = Buffer.allocUnsafe(bytes);
    this.#ids = new Float64Array(messages);
    this.#starts = new Uint32Array(messages);
    this.#lengths = new Uint32Array(messages);
  }

  push(id: number, text: string): void {
    const length = Buffer.byteLength(text);
    if (length > this.#bytes.length) {
      this.dropped = id;
      return;
    }
    if (this.#cursor + length > this.#bytes.length) {
      // What lies beyond the cursor is older than anything before it: it goes with the wasted end.
      while (this.#count > 0 && (this.#starts[this.#head] as number) >= this.#cursor) this.#dropOldest();
      this.#cursor = 0;
    }
    const end = this.#cursor + length;
    while (
      this.#count > 0 &&
      (this.#count === this.#ids.length ||
        ((this.#starts[this.#head] as number) < end &&
          (this.#starts[this.#head] as number) + (this.#lengths[this.#head] as number) > this.#cursor))
    )
      this.#dropOldest();
    this.#bytes.write(text, this.#cursor, "utf8");
    const slot = (this.#head + this.#count) % this.#ids.length;
    this.#ids[slot] = id;
    this.#starts[slot] = this.#cursor;
    this.#lengths[slot] = length;
    this.#count++;
    this.#cursor = end;
  }

  /** The kept messages with an id above `after`, oldest first (copies: the ring moves on). */
  after(after: number): Buffer[] {
    const found: Buffer[] = [];
    for (let index = 0; index < this.#count; index++) {
      const slot = (this.#head + index) % this.#ids.length;
      if ((this.#ids[slot] as number) <= after) continue;
      const start = this.#starts[slot] as number;
      found.push(Buffer.from(this.#bytes.subarray(start, start + (this.#lengths[slot] as number))));
    }
    return found;
  }

  #dropOldest(): void {
    this.dropped = this.#ids[this.#head] as number;
    this.#head = (this.#head + 1) % this.#ids.length;
    this.#count--;
  }
}
