import type { Port } from "./canonical.js";
import type { Role } from "./classify.js";
import { probeOf } from "./commands.js";
import type { LoadedService } from "./load.js";
import type { ServiceReport } from "./model.js";

export function externalUrl(
  service: LoadedService,
  role: Extract<Role, { kind: "external" }>,
): { url: string; guessed: boolean; port: Port | undefined } {
  const ports = ((service.spec.ports ?? []) as Port[]).filter((port) => port.protocol === "tcp");
  const chosen =
    ports.find((port) => port.target === role.port && port.published !== undefined) ??
    ports.find((port) => port.published !== undefined);
  const port = chosen?.published ?? role.port ?? ports[0]?.target;
  return { url: `${role.scheme}://127.0.0.1:${port ?? 0}`, guessed: chosen === undefined, port: chosen };
}

export function externalRequirement(
  service: LoadedService,
  role: Extract<Role, { kind: "external" }>,
  report: ServiceReport,
) {
  const { url, guessed } = externalUrl(service, role);
  const { probe } = probeOf(service.spec.healthcheck);
  const after = Object.keys((service.spec.depends_on ?? {}) as object);
  const comment = `${role.what}, image ${role.image}: not run by Berth${after.length > 0 ? `; in Compose it starts after ${after.join(", ")}` : ""}${guessed ? "; TODO(berth import): Compose publishes no port for it, check the URL" : ""}`;
  if (guessed && !report.notes.some((note) => note.startsWith("TODO: no published port")))
    report.notes.push(`TODO: no published port; the url ${url} is a guess`);
  // without a healthcheck, dependents still wait until its port answers rather than start at once
  return { kind: "external" as const, url, ready: probe ?? { tcp: true as const }, comment };
}
