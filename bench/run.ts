import { existsSync } from "node:fs";
import { CHROMIUM } from "../test/helpers/browser.js";
import { benchDashboard } from "./dashboard.js";
import { benchDevstack } from "./devstack.js";
import { benchExample, exampleInstalled } from "./example.js";
import { printTable, type Row } from "./harness.js";
import { benchProviders } from "./providers.js";
import { benchReload } from "./reload.js";
import { benchRuntime } from "./runtime.js";
import { benchSnapshots } from "./snapshots.js";
import { benchToolchains } from "./toolchains.js";
import { benchValidate } from "./validate.js";

/** `npm run bench [-- --quick]`: every benchmark, one table. */
const quick = process.argv.includes("--quick");
const rows: Row[] = [];
console.log(
  `berth benchmarks${quick ? " (quick)" : ""}: node ${process.version}, ${new Date().toISOString()}`,
);
rows.push(...(await benchValidate({ quick })));
rows.push(...(await benchRuntime({ quick })));
rows.push(...(await benchProviders({ quick })));
rows.push(...(await benchSnapshots({ quick })));
if (existsSync(CHROMIUM)) rows.push(...(await benchDashboard({ quick })));
else console.log(`note: the dashboard benchmark needs Debian's chromium at ${CHROMIUM}`);
rows.push(...(await benchReload({ quick })));
rows.push(...(await benchToolchains({ quick })));
let warmRatio = Number.NaN;
if (exampleInstalled()) {
  const example = await benchExample({ quick });
  rows.push(...example.rows);
  warmRatio = example.warmRatio;
} else {
  console.log("note: the example benchmark needs the example installed once: npm run demo -- -d");
}
rows.push(...(await benchDevstack({ quick })));
printTable(rows);
console.log(`warm-up ratio: ${warmRatio.toFixed(2)}`);
