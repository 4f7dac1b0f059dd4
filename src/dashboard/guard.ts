import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** A refusal: its status and a short text saying why. */
export interface Refusal {
  status: 401 | 403 | 415;
  text: string;
}

/**
 * Who may use the dashboard: a request to 127.0.0.1 or localhost on its port (a page of another name resolved
 * to 127.0.0.1, DNS rebinding, is refused), holding the token in its cookie; an action also comes from the
 * page itself (its `Origin`) as JSON (which a foreign page's form cannot send without a CORS preflight, never
 * answered).
 */
export class Guard {
  readonly #hosts: Set<string>;
  readonly #origins: Set<string>;
  readonly #token: Buffer;
  /**
   * Named for the port: a browser sends a cookie to every port of 127.0.0.1, and the dashboards of two state
   * folders would otherwise sign each other out.
   */
  readonly cookieName: string;

  constructor(port: number, token: string) {
    this.cookieName = `berth_dashboard_${port}`;
    this.#hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.#origins = new Set([...this.#hosts].map((host) => `http://${host}`));
    this.#token = digest(token);
  }

  host(request: IncomingMessage): Refusal | undefined {
    if (this.#hosts.has(request.headers.host ?? "")) return undefined;
    return { status: 403, text: "the dashboard answers only at 127.0.0.1 or localhost\n" };
  }

  /** Constant time: the digests compared are of equal length whatever was sent. */
  tokenMatches(candidate: string | undefined): boolean {
    return candidate !== undefined && timingSafeEqual(digest(candidate), this.#token);
  }

  cookie(request: IncomingMessage): Refusal | undefined {
    if (this.tokenMatches(cookieValue(request.headers.cookie, this.cookieName))) return undefined;
    return {
      status: 401,
      text: "not signed in: open the dashboard with the address `berth dashboard` prints (it holds the token)\n",
    };
  }

  action(request: IncomingMessage): Refusal | undefined {
    const origin = request.headers.origin;
    if (origin === undefined || !this.#origins.has(origin) || origin !== `http://${request.headers.host}`)
      return { status: 403, text: "an action is accepted only from the dashboard's own page\n" };
    const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") return { status: 415, text: "send the action as application/json\n" };
    return undefined;
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
