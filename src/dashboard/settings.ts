import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "../state/index.js";

/** The dashboard of a state folder: its port, chosen once and kept, and the token that opens it. */
export interface DashboardSettings {
  port: number;
  token: string;
}

export function settingsFile(home: string): string {
  return join(home, "dashboard.json");
}

/** The kept settings, or none yet (a file that is not ours is replaced). */
export function readSettings(home: string): DashboardSettings | undefined {
  const kept = readJsonFile<Partial<DashboardSettings> | null>(settingsFile(home), null);
  const valid =
    kept !== null &&
    Number.isInteger(kept.port) &&
    typeof kept.token === "string" &&
    /^[A-Za-z0-9_-]{43}$/.test(kept.token);
  return valid ? (kept as DashboardSettings) : undefined;
}

/** Written 0600: whoever reads the token can act on the workspaces. */
export function keepSettings(home: string, settings: DashboardSettings): void {
  writeJsonFile(settingsFile(home), settings);
}

/** 256 random bits, base64url: 43 characters. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}
