import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { it } from "vitest";
import { itWith } from "./servers.js";

/**
 * Open edX's devstack Compose files (AGPL-3.0 data, kept outside the project beside the checkout, in
 * ../shared/fixtures/openedx-devstack, or where BERTH_DEVSTACK_FIXTURES says). A clean clone (CI) has no
 * copy, so tests using them are skipped with the reason there; test/fixtures/compose/ covers the same
 * behaviours with files of our own.
 */
export const DEVSTACK = resolve(
  process.env.BERTH_DEVSTACK_FIXTURES ??
    join(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "openedx-devstack"),
);

export const DEVSTACK_OVERLAYS = [
  "docker-compose-host.yml",
  "docker-compose-themes.yml",
  "docker-compose-watchers.yml",
];

/** A test on the devstack files (and any binaries it needs), skipped with its reason where they are missing. */
export function itWithDevstack(
  needs: string[],
  name: string,
  body: () => Promise<void> | void,
  timeout = 60_000,
): void {
  if (existsSync(join(DEVSTACK, "docker-compose.yml"))) itWith(needs, name, body, timeout);
  else
    it.skip(
      `${name} (skipped: the devstack fixtures are not at ${DEVSTACK}; they live outside the project)`,
      body,
    );
}
