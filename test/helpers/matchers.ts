import { expect } from "vitest";
import type { CliResult } from "./cli.js";

interface CliMatchers<R = unknown> {
  /** The command exited 0; when it did not, the failure shows what it printed. */
  toSucceed(): R;
}

declare module "vitest" {
  interface Assertion<T> extends CliMatchers<T> {}
  interface AsymmetricMatchersContaining extends CliMatchers {}
}

expect.extend({
  toSucceed(received: CliResult) {
    return {
      pass: received.code === 0,
      message: () =>
        this.isNot
          ? "expected the command to fail, and it exited 0"
          : `expected the command to exit 0, and it exited ${received.code}\n` +
            `stdout:\n${received.stdout}\nstderr:\n${received.stderr}`,
    };
  },
});
