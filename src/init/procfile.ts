import type { Draft } from "./draft.js";

export interface ProcfileEntry {
  name: string;
  run: string;
  line: number;
}

/** Procfile lines as foreman reads them: `name: command`; blank lines and `#` comments skipped. */
export function parseProcfile(text: string): { entries: ProcfileEntry[]; skipped: number[] } {
  const entries: ProcfileEntry[] = [];
  const skipped: number[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) skipped.push(index + 1);
    else entries.push({ name: match[1], run: match[2].trim(), line: index + 1 });
  }
  return { entries, skipped };
}

/**
 * Adds a Procfile's processes to a draft: `release:` is the `migrate` task (run before the processes, as
 * Heroku runs it before a release); a process whose command reads $PORT gets `port: auto`, and Berth
 * passes it PORT, as foreman does (foreman gives every process a PORT; one that never reads it needs none).
 */
export function addProcfile(draft: Draft, entries: ProcfileEntry[]): void {
  draft.detected.push("Procfile");
  for (const { name, run } of entries) {
    if (name === "release") {
      const existing = draft.tasks.findIndex((task) => task.name === "migrate");
      const task = { name: "migrate", run, comment: "from the Procfile's release line" };
      if (existing === -1) draft.tasks.push(task);
      else draft.tasks[existing] = task;
      continue;
    }
    const usesPort = /\$\{?PORT\b/.test(run);
    const process = {
      name,
      run,
      ...(usesPort
        ? { port: "auto" as const, ready: "tcp", comment: "Berth sets PORT to its port, as foreman does" }
        : {}),
    };
    const existing = draft.processes.findIndex((entry) => entry.name === name);
    if (existing === -1) draft.processes.push(process);
    else draft.processes[existing] = process;
  }
}
