import pc from "picocolors";
import { dashboard, openInBrowser } from "../api/dashboard.js";
import { type GlobalOptions, print, printJson } from "./io.js";

/** `berth dashboard [--open]`: prints the dashboard's address (its token included), opens it when asked. */
export async function runDashboard(options: GlobalOptions, open: boolean): Promise<void> {
  const { url, port, movedFrom } = await dashboard();
  if (movedFrom !== undefined)
    process.stderr.write(
      `${pc.yellow("!")} port ${movedFrom} is taken by another program: the dashboard moved to ${port} (kept from now on)\n`,
    );
  if (options.json) printJson({ url });
  else print(url);
  if (open && !(await openInBrowser(url)))
    process.stderr.write(
      `${pc.yellow("!")} no browser opener here (xdg-open, open): copy the address into a browser\n`,
    );
}
