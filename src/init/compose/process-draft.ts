import type { Port } from "./canonical.js";
import { commandLine, imageOnly, probeOf } from "./commands.js";
import type { LoadedService } from "./load.js";
import type { DraftProcess, ServiceReport } from "./model.js";

/**
 * The port its command listens on (the container side of its first published TCP port), in the order of
 * the Compose file; a port another process listens on already becomes `auto`.
 */
export function choosePort(
  service: LoadedService,
  report: ServiceReport,
  usedPorts: Set<number>,
  portOf: Map<string, number | "auto">,
): void {
  const ports = (service.spec.ports ?? []) as Port[];
  const published = ports.find((port) => port.published !== undefined && port.protocol === "tcp");
  if (published === undefined) {
    for (const port of ports) report.dropped.push(`ports: ${portText(port)} (not published)`);
    return;
  }
  if (published.published !== published.target)
    report.notes.push(
      `Compose published its port ${published.target} as ${published.published}; natively it listens on ${published.target}`,
    );
  if (usedPorts.has(published.target)) {
    portOf.set(service.name, "auto");
    report.notes.push(
      `TODO: port ${published.target} is another process's too; this one gets port: auto, and its command must listen on $PORT`,
    );
  } else {
    usedPorts.add(published.target);
    portOf.set(service.name, published.target);
  }
  for (const port of ports)
    if (port !== published) report.dropped.push(`ports: ${portText(port)} (a process has one port)`);
}

export function placeProcess(
  service: LoadedService,
  process: DraftProcess,
  report: ServiceReport,
  port: number | "auto" | undefined,
): void {
  const spec = service.spec;
  const line = [commandLine(spec.entrypoint), commandLine(spec.command)].filter(Boolean).join(" ");
  const image = typeof spec.image === "string" ? spec.image : undefined;
  const why =
    line === "" ? `Compose runs the image's own command${image ? ` (${image})` : ""}` : imageOnly(line);
  if (why === undefined) process.run = line;
  else {
    process.todo = line === "" ? why : `in its image it ran: ${line}`;
    process.comments.push(
      `TODO(berth import): write the command that runs ${service.name} from this folder; ${line === "" ? why : `${why}. In its image it ran: ${line}`}`,
    );
    report.notes.push(
      `TODO: ${service.name} has no native command (${why}); the draft's run is \${env.${todoVariable(process.name)}} until it is written`,
    );
  }
  if (port !== undefined) process.port = port;
  const { probe, dropped } = probeOf(spec.healthcheck);
  report.dropped.push(...dropped);
  if (probe) process.ready = probe;
  else if (process.port !== undefined) process.ready = { tcp: true };
  process.comments.unshift(
    `from Compose service ${service.name}${image ? ` (image ${image}, not used natively)` : ""}`,
  );
}

export function todoVariable(processName: string): string {
  return `TODO_${processName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_COMMAND`;
}

export function portText(port: Port): string {
  return `${port.host_ip ? `${port.host_ip}:` : ""}${port.published ?? ""}${port.published === undefined ? "" : ":"}${port.target}/${port.protocol}`;
}
