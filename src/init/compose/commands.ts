import { isMapping } from "./compose-file.js";

/** A Compose command (string or list) as one shell command line. */
export function commandLine(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (Array.isArray(value) && value.length > 0) return value.map((word) => shellWord(String(word))).join(" ");
  return undefined;
}

export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Absolute paths outside the usual system folders: they exist only inside the image (`/edx/app/...`). */
const IMAGE_PATH =
  /(?:^|[\s'"=:;(`])(\/(?!(?:usr|bin|sbin|tmp|dev|proc|etc\/hosts)\b)[A-Za-z0-9_.-]+(?:\/[^\s'";|&)]*)?)/;

/** Why a command only makes sense inside its image, or undefined when it can run in a codebase's folder. */
export function imageOnly(command: string): string | undefined {
  const path = IMAGE_PATH.exec(command)?.[1];
  return path === undefined ? undefined : `it uses ${path}, a path inside the image`;
}

export interface Probe {
  http?: string;
  exec?: string;
  tcp?: true;
  interval?: string;
  start_period?: string;
}

/** A Compose healthcheck as a Berth readiness probe; `dropped` names what has no equivalent. */
export function probeOf(healthcheck: unknown): { probe?: Probe; dropped: string[] } {
  if (!isMapping(healthcheck) || healthcheck.disable === true) return { dropped: [] };
  const test = healthcheck.test;
  let command: string | undefined;
  if (typeof test === "string") command = test;
  else if (Array.isArray(test)) {
    const [kind, ...rest] = test.map(String);
    if (kind === "NONE") return { dropped: [] };
    command = kind === "CMD-SHELL" ? rest.join(" ") : commandLine(rest);
  }
  if (command === undefined) return { dropped: [] };
  const url =
    /\b(?:curl|wget)\b[^|;&]*?https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?(\/[^\s'"|;&]*)?/.exec(
      command,
    );
  const probe: Probe = url ? { http: url[1] || "/" } : { exec: command };
  const dropped: string[] = [];
  for (const key of ["interval", "start_period"] as const) {
    const value = healthcheck[key];
    if (typeof value === "string" && /^(\d+(\.\d+)?(h|m|s|ms))+$/.test(value)) probe[key] = value;
  }
  for (const key of ["timeout", "retries", "start_interval"])
    if (healthcheck[key] !== undefined) dropped.push(`healthcheck.${key}`);
  return { probe, dropped };
}
