import type { IncomingMessage, ServerResponse } from "node:http";
import { logs } from "../api/logs.js";
import { BerthError } from "../errors/index.js";
import type { DashboardHost } from "../supervisor/index.js";
import { parseActionRequest } from "./action-request.js";
import type { Actions } from "./actions.js";
import { INDEX_HTML, readAsset } from "./assets.js";
import type { EventStream } from "./event-stream.js";
import type { StatusFeed } from "./status-feed.js";
import type { DashboardState, LogsAnswer } from "./types.js";
import { workspaceViews } from "./workspace-views.js";

const MAX_BODY = 64 * 1024;
const DEFAULT_LOG_LIMIT = 2000;

export interface RouteContext {
  host: DashboardHost;
  stream: EventStream;
  feed: StatusFeed;
  actions: Actions;
  assets: string;
}

/** The dashboard's pages and API, for a request already known to come from the signed-in page. */
export async function route(
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const { pathname } = url;
  const method = request.method ?? "GET";
  if (method === "GET" && pathname === "/")
    return send(response, 200, "text/html; charset=utf-8", INDEX_HTML);
  if (method === "GET" && pathname.startsWith("/assets/")) {
    const asset = readAsset(context.assets, pathname.slice("/assets/".length));
    if (!asset) return send(response, 404, "text/plain; charset=utf-8", "no such asset\n");
    // Not cached for good: the bundle keeps its name across versions of Berth.
    response.setHeader("Cache-Control", "no-cache");
    return send(response, 200, asset.type, asset.body);
  }
  if (method === "GET" && pathname === "/api/state") return json(response, 200, await state(context));
  if (method === "GET" && pathname === "/api/events") {
    const after = lastEventId(request, url);
    context.stream.attach(request, response, after);
    return;
  }
  if (method === "GET" && pathname === "/api/logs") return json(response, 200, await logLines(context, url));
  if (method === "POST" && pathname === "/api/actions") {
    const body = await readBody(request);
    const parsed = parseActionRequest(body);
    if ("problem" in parsed) return json(response, 400, { error: { message: parsed.problem } });
    knownRoot(context.host, parsed.request.root);
    return json(response, 202, { id: context.actions.start(parsed.request) });
  }
  if (["GET", "POST"].includes(method))
    return send(response, 404, "text/plain; charset=utf-8", "not found\n");
  response.setHeader("Allow", "GET, POST");
  return send(response, 405, "text/plain; charset=utf-8", "method not allowed\n");
}

async function state(context: RouteContext): Promise<DashboardState> {
  const lastEventId = context.stream.lastId;
  const [workspaces, processes] = await Promise.all([workspaceViews(context.host), context.feed.rows()]);
  return {
    supervisor: { pid: process.pid, rss_bytes: process.memoryUsage.rss() },
    workspaces,
    processes,
    lastEventId,
  };
}

async function logLines(context: RouteContext, url: URL): Promise<LogsAnswer> {
  const query = url.searchParams;
  const root = knownRoot(context.host, query.get("root") ?? "");
  const target = query.get("target");
  const since = query.get("since");
  const grep = query.get("grep");
  const limit = Number(query.get("limit") ?? DEFAULT_LOG_LIMIT);
  if (!Number.isInteger(limit) || limit < 1)
    throw new BerthError("BERTH_USAGE", `limit=${query.get("limit")} is not a positive whole number`);
  const found = await logs({
    root,
    home: context.host.home,
    ...(target ? { targets: [target] } : {}),
    ...(since ? { since } : {}),
    ...(grep ? { grep } : {}),
  });
  return { lines: found.lines.slice(-limit) };
}

/** Only the workspaces this supervisor brought up are shown and acted on. */
function knownRoot(host: DashboardHost, root: string): string {
  if (host.observers.roots().includes(root)) return root;
  throw new BerthError("BERTH_UNKNOWN_NAME", `${root || "(no root)"}: no workspace this dashboard shows`, {
    hint: "bring it up first (berth up), then reload the page",
  });
}

/** `Last-Event-ID` (set by EventSource when it reconnects), or `?after=` for a first connection after /api/state. */
function lastEventId(request: IncomingMessage, url: URL): number | undefined {
  const raw = request.headers["last-event-id"] ?? url.searchParams.get("after");
  if (typeof raw !== "string" || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BerthError("BERTH_USAGE", "the action's body is too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, "application/json; charset=utf-8", JSON.stringify(body));
}

export function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  response.end(body);
}
