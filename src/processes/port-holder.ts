import { system } from "./system.js";

export interface PortHolder {
  pid: number;
  command: string;
}

/** The process listening on a TCP port; undefined where that cannot be told. */
export function portHolder(port: number): PortHolder | undefined {
  const pid = system.listenerOf(port);
  return pid === undefined ? undefined : { pid, command: system.commandLine(pid) };
}
