import { request } from "node:http";
import type { Browser, Page } from "playwright-core";
import type { CliResult } from "./cli.js";

/** The dashboard's address with its token, as `berth dashboard --json` prints it. */
export function dashboardUrl(run: (args: string[]) => CliResult): URL {
  const result = run(["dashboard", "--json"]);
  if (result.code !== 0) throw new Error(`berth dashboard failed: ${result.stderr}`);
  return new URL((JSON.parse(result.stdout) as { url: string }).url);
}

/** A page of the dashboard, in through the token URL (which sets the cookie). */
export async function openDashboard(browser: Browser, url: URL): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url.href);
  await page.locator('[data-testid="connection"]').waitFor();
  return page;
}

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Signs in with the address's token as a browser would: the cookie it is given, as `name=value`. */
export async function signIn(url: URL): Promise<string> {
  const answer = await send(url, `${url.pathname}${url.search}`);
  const cookie = [answer.headers["set-cookie"] ?? []].flat()[0]?.split(";")[0];
  if (answer.status !== 303 || !cookie)
    throw new Error(`signing in answered ${answer.status}: ${answer.body}`);
  return cookie;
}

/** A plain HTTP request from outside any browser (so any Origin, any cookie, or none). */
export function send(
  url: URL,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "GET",
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** `[data-testid="process-row"][data-name="catalog/api"]` */
export function row(name: string): string {
  return `[data-testid="process-row"][data-name="${name}"]`;
}
