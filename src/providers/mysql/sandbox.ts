import { spawnSync } from "node:child_process";
import { BerthError } from "../../errors/index.js";

const sandboxSupport = new Map<string, boolean>();

/**
 * The client's flags that make a dump plain data: `--sandbox` refuses client commands that reach the file
 * system or a shell (`\!`, `source`, `tee`, `pager`), `--binary-mode` parses no client command but
 * DELIMITER, and no `LOAD DATA LOCAL` reads a file of this machine. A client without `--sandbox`
 * (MariaDB before 10.5.25 / 10.11.8, Oracle's mysql) is refused rather than trusted.
 */
export function sandboxed(client: string): string[] {
  let supported = sandboxSupport.get(client);
  if (supported === undefined) {
    const help = spawnSync(client, ["--no-defaults", "--help"], { encoding: "utf8" });
    supported = /--sandbox\b/.test(help.stdout ?? "");
    sandboxSupport.set(client, supported);
  }
  if (!supported)
    throw new BerthError(
      "BERTH_CLIENT_UNSAFE",
      `${client} has no --sandbox option: it would run the client commands a dump may hold`,
      {
        hint: "install a MariaDB client of 10.5.25, 10.11.8 or newer (Debian: apt-get install mariadb-client); nothing was restored",
      },
    );
  return ["--sandbox", "--binary-mode", "--local-infile=0"];
}
