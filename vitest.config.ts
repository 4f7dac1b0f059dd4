import { defineConfig } from "vitest/config";

/** Top-level tests that use neither the built CLI nor a supervisor: they run from the sources, with no build. */
const unitTests = [
  "test/fences.test.ts",
  "test/git.test.ts",
  "test/hints.test.ts",
  "test/manifest-corpus.test.ts",
  "test/manifest-fuzz.test.ts",
  "test/plan.test.ts",
  "test/provider-kinds.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["src/**/*.test.ts", ...unitTests] },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/**/*.test.ts"],
          exclude: unitTests,
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/helpers/matchers.ts"],
          // Its tests mostly wait (for servers, probes, supervisors): more files at once than cores.
          // Projects with different maxWorkers need their own group; the unit project's runs after.
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
