import { relative } from "node:path";
import pc from "picocolors";
import type { ImportResult, ServiceReport } from "../api/import.js";
import { formatLocation } from "../errors/index.js";
import { print } from "./io.js";

/** The import's report on a terminal: every service, what it became, and everything it dropped. */
export function printImportReport(result: ImportResult): void {
  const { report } = result;
  const here = (path: string) => relative(process.cwd(), path) || path;
  const { counts } = report;
  print(
    `${pc.green("✓")} wrote ${result.written.length} draft${result.written.length === 1 ? "" : "s"} under ${here(result.out)}/ from ${report.files.map(here).join(", ")}`,
  );
  if (result.kind === "compose")
    print(
      `  ${counts.services} services: ${counts.processes} processes in ${report.codebases.length} codebases, ${plural(counts.providers, "provider")}, ${plural(counts.externals, "external")}; ${counts.dependsOn} depends_on edges, ${counts.dependsOnKept} kept in the drafts (the others in this report); ${counts.hostsRewritten} host names rewritten; ${counts.todos} TODO commands`,
    );
  print("");
  for (const service of report.services) printService(service);
  for (const { name, location } of report.unset)
    print(
      `${pc.yellow("!")} ${name} is not set (first used at ${formatLocation(location)}); Compose would use ""`,
    );
  const first = report.codebases[0];
  if (first)
    print(
      `  next: read the TODOs, then \`berth validate -C ${here(first.file).replace(/\/berth\.yaml$/, "")}\` (each codebase), and \`berth trust\``,
    );
}

function printService(service: ServiceReport): void {
  const became =
    service.became === "provider"
      ? `provider ${service.provider}${service.version ? ` ${service.version}` : ""}`
      : service.became === "external"
        ? `external ${service.url}`
        : service.became === "task"
          ? `task migrate of ${service.codebase}`
          : service.process
            ? `process ${service.codebase}/${service.process}`
            : "nothing";
  print(`${pc.bold(service.service)} → ${became}`);
  if (service.dependsOn.length > 0)
    print(
      `    depends_on: ${service.dependsOn.map((edge) => `${edge.on}${edge.condition === "service_started" ? "" : ` (${edge.condition})`} → ${edge.kept}`).join(", ")}`,
    );
  for (const rewrite of service.rewrites) print(`    env ${rewrite.key}: ${rewrite.from} → ${rewrite.to}`);
  for (const note of service.notes) print(`    ${note.startsWith("TODO") ? pc.yellow(note) : note}`);
  for (const dropped of service.dropped) print(pc.dim(`    dropped ${dropped}`));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
