import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runModuleScript } from "../../test/helpers/module-script.js";

const asRoot = process.getuid?.() === 0;

/** A supervisor's first server as root: `runAsFor` in a process of its own at `at`, printing the account it got. */
function firstServerAccount(account: string, at: number): Promise<string> {
  const script = `
    import { runAsFor } from ${JSON.stringify(join(import.meta.dirname, "run-as.ts"))};
    while (Date.now() < ${at});
    console.log(JSON.stringify(runAsFor(${JSON.stringify(account)})));`;
  return runModuleScript(script).then(({ stdout }) => stdout);
}

describe("the servers' account, as root", () => {
  it.skipIf(!asRoot)("is made once when several supervisors need it at the same moment", async () => {
    const account = `berth-t${randomBytes(3).toString("hex")}`;
    try {
      // All at one moment, once each process has loaded.
      const at = Date.now() + 3000;
      const got = await Promise.all([1, 2, 3, 4].map(() => firstServerAccount(account, at)));
      const uid = Number(execFileSync("id", ["-u", account], { encoding: "utf8" }));
      for (const answer of got) expect(JSON.parse(answer)).toMatchObject({ uid, name: account });
    } finally {
      execFileSync("userdel", [account], { stdio: "ignore" });
    }
  });
});
