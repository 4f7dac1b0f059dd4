import type { Draft } from "./draft.js";

/** The draft as a commented berth.yaml: every section explained, so the file teaches its own format. */
export function renderDraft(draft: Draft): string {
  const lines: string[] = [
    `# berth.yaml: the development environment of this codebase. Written by \`berth init\`${draft.detected.length > 0 ? ` from ${draft.detected.join(", ")}` : ""}.`,
    "# Check it with `berth validate`; `berth schema` prints the JSON Schema your editor can use.",
    `name: ${draft.name}`,
    "",
  ];
  lines.push(
    "# What this codebase needs: providers (postgres, mysql, redis, memcached) and other codebases.",
  );
  if (draft.requires.length > 0) {
    lines.push("requires:");
    for (const entry of draft.requires) lines.push(`  ${entry.alias}: { provider: ${entry.provider} }`);
  } else {
    lines.push("# requires:", "#   db: { provider: postgres }", "#   accounts: { path: ../accounts }");
  }
  lines.push("", "# Environment of every task and process; ${requires.<alias>.url} is filled in by Berth.");
  if (draft.env.length > 0) {
    lines.push("env:");
    for (const entry of draft.env) lines.push(`  ${entry.name}: ${quote(entry.value)}`);
  } else {
    lines.push("# env:", "#   DATABASE_URL: ${requires.db.url}");
  }
  lines.push(
    "",
    "# One-shot commands: install, migrate and seed run in that order on `berth up`, skipped when their inputs are unchanged.",
  );
  if (draft.tasks.length > 0) {
    lines.push("tasks:");
    for (const task of draft.tasks) {
      if (task.comment) lines.push(`  # ${task.comment}`);
      const inputs = `${task.inputs ? `, inputs: [${task.inputs.map(quote).join(", ")}]` : ""}${task.creates ? `, creates: [${task.creates.map(quote).join(", ")}]` : ""}`;
      lines.push(`  ${task.name}: { run: ${quote(task.run)}${inputs} }`);
    }
  } else {
    lines.push("# tasks:", '#   migrate: { run: ./migrate.sh, inputs: ["migrations/**"] }');
  }
  lines.push("", "# Long-running commands, started once their requirements are ready.");
  if (draft.processes.length > 0) {
    lines.push("processes:");
    for (const process of draft.processes) {
      if (process.comment) lines.push(`  # ${process.comment}`);
      lines.push(`  ${process.name}:`, `    run: ${quote(process.run)}`);
      if (process.port !== undefined) lines.push(`    port: ${process.port}`);
      if (process.ready === "http") lines.push("    ready: { http: / }");
      if (process.ready === "tcp") lines.push("    ready: { tcp: true }");
    }
  } else {
    lines.push(
      "# processes:",
      "#   web:",
      "#     run: ./server",
      "#     port: auto",
      "#     ready: { http: /healthz }",
    );
  }
  const web = draft.processes.find((process) => process.port !== undefined);
  lines.push("", "# What consumers of this codebase read as ${requires.<alias>.<key>}.");
  if (web) lines.push("exports:", `  url: http://127.0.0.1:\${processes.${web.name}.port}`);
  else lines.push("# exports:", "#   url: http://127.0.0.1:${processes.web.port}");
  return `${lines.join("\n")}\n`;
}

/** A YAML scalar: plain where nothing in it means something to YAML, else double-quoted (JSON is valid YAML). */
function quote(value: string): string {
  return /^[A-Za-z0-9_./-][A-Za-z0-9_ ./=+-]*$/.test(value) ? value : JSON.stringify(value);
}
