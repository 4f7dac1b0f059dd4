import type { IncomingMessage, ServerResponse } from "node:http";
import { MessageRing } from "./message-ring.js";
import type { StreamEvents } from "./types.js";

const KEPT = 5000;
const KEPT_BYTES = 2 * 1024 * 1024;
const PING_MS = 15_000;
/** Messages leave together at most this often: a flood of lines is a few writes a second, not one a line. */
const FLUSH_MS = 25;
const MAX_BACKLOG = 4 * 1024 * 1024;

interface Message {
  id: number;
  text: string;
}

/**
 * The server-sent events of every open page: each message numbered, the last 5,000 (at most 2 MiB) kept so
 * that a page that reconnects gets what it missed. The latest `status` is kept apart (it replaces the previous one) and is sent
 * to a reconnecting page after the rest.
 */
export class EventStream {
  /**
   * Ids count from the start time in microseconds: a page that reconnects to a newer supervisor holds an id
   * below its first and is told to start over, rather than being sent only what follows a stranger's id.
   */
  readonly #firstId = Date.now() * 1000;
  #lastId = this.#firstId;
  readonly #ring = new MessageRing(KEPT, KEPT_BYTES);
  #status: Message | undefined;
  readonly #clients = new Set<ServerResponse>();
  #ping: NodeJS.Timeout | undefined;
  #outgoing: string[] = [];
  #flush: NodeJS.Timeout | undefined;

  constructor(private readonly onClients: (count: number) => void) {}

  get lastId(): number {
    return this.#lastId;
  }

  get clients(): number {
    return this.#clients.size;
  }

  publish<K extends keyof StreamEvents>(kind: K, data: StreamEvents[K]): void {
    const id = ++this.#lastId;
    const message = { id, text: `id: ${id}\nevent: ${kind}\ndata: ${JSON.stringify(data)}\n\n` };
    if (kind === "status") this.#status = message;
    else this.#ring.push(id, message.text);
    if (this.#clients.size === 0) return;
    this.#outgoing.push(message.text);
    this.#flush ??= setTimeout(() => this.#send(), FLUSH_MS);
  }

  #send(): void {
    this.#flush = undefined;
    const text = this.#outgoing.join("");
    this.#outgoing = [];
    for (const client of this.#clients) {
      // A page that does not keep up (a frozen tab) is let go rather than buffered for: it reconnects, and
      // gets what it missed from the ring, or a reset.
      if (client.writableLength > MAX_BACKLOG) client.destroy();
      else client.write(text);
    }
  }

  /** Streams to one page from after `after` (its Last-Event-ID), or from now. */
  attach(request: IncomingMessage, response: ServerResponse, after: number | undefined): void {
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
    });
    if (this.#flush) {
      clearTimeout(this.#flush);
      this.#send();
    }
    response.write("retry: 1000\n\n");
    if (after !== undefined) this.#replay(response, after);
    else if (this.#status) response.write(this.#status.text);
    this.#clients.add(response);
    request.socket.setNoDelay(true);
    const detach = () => {
      if (!this.#clients.delete(response)) return;
      if (this.#clients.size === 0) this.#stopPing();
      this.onClients(this.#clients.size);
    };
    response.on("close", detach);
    request.on("close", detach);
    this.#ping ??= setInterval(() => {
      for (const client of this.#clients) client.write(": ping\n\n");
    }, PING_MS);
    this.#ping.unref();
    this.onClients(this.#clients.size);
  }

  close(): void {
    this.#stopPing();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #replay(response: ServerResponse, after: number): void {
    if (after < Math.max(this.#firstId, this.#ring.dropped) || after > this.#lastId) {
      const id = ++this.#lastId;
      response.write(`id: ${id}\nevent: reset\ndata: {}\n\n`);
      if (this.#status) response.write(this.#status.text);
      return;
    }
    for (const message of this.#ring.after(after)) response.write(message);
    if (this.#status && this.#status.id > after) response.write(this.#status.text);
  }

  #stopPing(): void {
    clearInterval(this.#ping);
    this.#ping = undefined;
  }
}
