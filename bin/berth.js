#!/usr/bin/env node
// The CLI runs from one bundle (dist/bundle), which starts faster than the many modules tsc emits.
import { main } from "../dist/bundle/berth.js";

process.exitCode = await main(process.argv.slice(2));
