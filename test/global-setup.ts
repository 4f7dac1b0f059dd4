import { execFileSync } from "node:child_process";

/** End-to-end tests run the built CLI: build it once before any test. */
export default function setup(): void {
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
}
