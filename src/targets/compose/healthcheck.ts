import type { ProbeModel } from "../model.js";

/**
 * A readiness probe as a Compose healthcheck. An image has whichever HTTP client it has, so an http probe
 * tries curl, wget, node, then python3 (the slim Node and Python images have no curl or wget); a tcp probe
 * tries bash's /dev/tcp, nc, then node. A probe that fails with all of them fails, as it should.
 * A `log` probe has none: undefined.
 */
export function healthcheck(
  probe: ProbeModel,
  port: number | undefined,
): Record<string, unknown> | undefined {
  const timing = {
    interval: seconds(Math.max(probe.intervalMs, 1000)),
    timeout: "5s",
    retries: Math.max(1, Math.ceil(probe.timeoutMs / Math.max(probe.intervalMs, 1000))),
    ...(probe.startPeriodMs > 0 ? { start_period: seconds(probe.startPeriodMs) } : {}),
  };
  switch (probe.kind) {
    case "log":
      return undefined;
    case "exec":
      return {
        test: typeof probe.command === "string" ? ["CMD-SHELL", probe.command] : ["CMD", ...probe.command],
        ...timing,
      };
    case "http": {
      const url = `http://127.0.0.1:${port ?? 80}${probe.path}`;
      const node = `node -e "fetch('${url}').then((r) => process.exit(r.status < 400 ? 0 : 1), () => process.exit(1))"`;
      const python = `python3 -c "import urllib.request; urllib.request.urlopen('${url}', timeout=4)"`;
      return {
        test: [
          "CMD-SHELL",
          `curl -fsS -o /dev/null '${url}' 2>/dev/null || wget -q -O /dev/null '${url}' 2>/dev/null || ${node} 2>/dev/null || ${python}`,
        ],
        ...timing,
      };
    }
    case "tcp": {
      const target = `127.0.0.1 ${port ?? 80}`;
      const node = `node -e "require('net').connect(${port ?? 80}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"`;
      return {
        test: [
          "CMD-SHELL",
          `bash -c '</dev/tcp/${target.replace(" ", "/")}' 2>/dev/null || nc -z ${target} 2>/dev/null || ${node}`,
        ],
        ...timing,
      };
    }
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
