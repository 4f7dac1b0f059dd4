import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose_gc");
const gc = runInNewContext("gc") as () => void;
let timer: NodeJS.Timeout | undefined;

/**
 * Asks for a full garbage collection once the supervisor has been quiet for a moment. Starting and stopping
 * many processes leaves garbage that V8 would keep for a long while; the supervisor's resident memory is a
 * feature, so it is given back while nothing happens (a full collection of its small heap takes a few ms).
 */
export function collectWhenQuiet(delayMs = 1000): void {
  clearTimeout(timer);
  timer = setTimeout(gc, delayMs);
  timer.unref();
}
