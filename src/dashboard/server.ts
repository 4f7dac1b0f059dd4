import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { BerthError } from "../errors/index.js";
import type { DashboardAddress, DashboardHost } from "../supervisor/index.js";
import { Actions } from "./actions.js";
import { assetsDir } from "./assets.js";
import { EventStream } from "./event-stream.js";
import { Guard } from "./guard.js";
import { listenKept } from "./listen.js";
import { json, type RouteContext, route, send } from "./routes.js";
import { StatusFeed } from "./status-feed.js";
import { workspaceViews } from "./workspace-views.js";

const HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
  "Content-Security-Policy":
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** Starts the dashboard's server in the supervisor's process: 127.0.0.1 only, on the port kept for `host.home`. */
export async function startDashboard(host: DashboardHost): Promise<DashboardAddress> {
  let feed: StatusFeed | undefined;
  const stream = new EventStream((pages) => feed?.pages(pages));
  feed = new StatusFeed(host, stream);
  const context: RouteContext = {
    host,
    stream,
    feed,
    actions: new Actions(host, stream),
    assets: assetsDir(),
  };
  let guard: Guard | undefined;
  const server = createServer((request, response) => {
    if (!guard) return send(response, 503, "text/plain; charset=utf-8", "starting\n");
    void handle(guard, context, request, response);
  });
  const { settings, movedFrom } = await listenKept(server, host.home);
  guard = new Guard(settings.port, settings.token);
  observe(host, stream);
  return {
    url: `http://127.0.0.1:${settings.port}/?token=${settings.token}`,
    port: settings.port,
    ...(movedFrom !== undefined ? { movedFrom } : {}),
  };
}

async function handle(
  guard: Guard,
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  for (const [name, value] of Object.entries(HEADERS)) response.setHeader(name, value);
  try {
    const refused = guard.host(request) ?? signIn(guard, request, response) ?? guard.cookie(request);
    if (refused === "signed-in") return;
    if (refused) return send(response, refused.status, "text/plain; charset=utf-8", refused.text);
    if (request.method === "POST") {
      const wrong = guard.action(request);
      if (wrong) return send(response, wrong.status, "text/plain; charset=utf-8", wrong.text);
    }
    await route(context, request, response, new URL(request.url ?? "/", "http://127.0.0.1"));
  } catch (error) {
    if (response.headersSent) return void response.end();
    if (error instanceof BerthError)
      return json(response, 400, { error: { code: error.code, message: error.message, hint: error.hint } });
    json(response, 500, { error: { code: "BERTH_BUG", message: String(error) } });
  }
}

/** `GET /?token=…`: the token becomes a cookie the page's requests carry, and leaves the address bar. */
function signIn(guard: Guard, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (request.method !== "GET" || url.pathname !== "/" || !url.searchParams.has("token")) return undefined;
  if (!guard.tokenMatches(url.searchParams.get("token") ?? undefined))
    return { status: 401 as const, text: "a wrong token: open the address `berth dashboard` prints\n" };
  response.writeHead(303, {
    "Set-Cookie": `${guard.cookieName}=${url.searchParams.get("token")}; HttpOnly; SameSite=Strict; Path=/`,
    Location: "/",
    "Content-Length": 0,
  });
  response.end();
  return "signed-in" as const;
}

/** Every event of the supervisor goes to the stream; the workspaces are told again after their steps settle. */
function observe(host: DashboardHost, stream: EventStream): void {
  let timer: NodeJS.Timeout | undefined;
  const retell = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      workspaceViews(host).then(
        (views) => stream.publish("workspaces", views),
        () => {},
      );
    }, 300);
  };
  host.observers.observe((event, root) => {
    stream.publish("runtime", { root, event });
    if (event.type === "step" || event.type === "reload") retell();
  });
}
