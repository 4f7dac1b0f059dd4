import type { ProcessRow, WorkspaceView } from "../types.js";
import type { Actions } from "./actions.js";
import { bytes, duration, percent } from "./format.js";

/** The codebases and servers of the state folder, each with its processes. */
interface Group {
  name: string;
  root: string;
  /** A codebase of a workspace (actions apply), or a provider's server. */
  codebase: boolean;
  rows: ProcessRow[];
}

function groupsOf(workspaces: WorkspaceView[], processes: ProcessRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const workspace of workspaces) {
    for (const codebase of workspace.graph.codebases) {
      if (!groups.has(codebase.name))
        groups.set(codebase.name, { name: codebase.name, root: workspace.root, codebase: true, rows: [] });
    }
  }
  for (const row of processes) {
    let group = groups.get(row.codebase);
    if (!group) {
      group = { name: row.codebase, root: row.roots[0] ?? "", codebase: row.process !== "server", rows: [] };
      groups.set(row.codebase, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()].sort(
    (a, b) => Number(b.codebase) - Number(a.codebase) || a.name.localeCompare(b.name),
  );
}

const DOING: Record<string, string> = {
  restart: "restarting",
  stop: "stopping",
  start: "starting",
  up: "starting",
};
const doing = (verb: string) => DOING[verb] ?? verb;

const RUNNING = new Set(["pending", "starting", "ready", "backoff", "stopping"]);

export function ProcessTable(props: {
  workspaces: WorkspaceView[];
  processes: ProcessRow[];
  actions: Actions;
  showLogs(root: string, target: string): void;
}) {
  const groups = groupsOf(props.workspaces, props.processes);
  if (groups.length === 0) return <p class="empty">Nothing runs. Start a workspace with `berth up`.</p>;
  return (
    <table class="processes">
      <thead>
        <tr>
          <th>process</th>
          <th>state</th>
          <th>pid</th>
          <th>port</th>
          <th>restarts</th>
          <th>uptime</th>
          <th>cpu</th>
          <th>memory</th>
          <th>last reload</th>
          <th />
        </tr>
      </thead>
      {groups.map((group) => (
        <GroupRows key={group.name} group={group} {...props} />
      ))}
    </table>
  );
}

function GroupRows({
  group,
  actions,
  showLogs,
}: {
  group: Group;
  actions: Actions;
  showLogs(root: string, target: string): void;
}) {
  const running = group.rows.some((row) => RUNNING.has(row.state));
  const pending = actions.runningOn(group.name);
  return (
    <tbody data-testid="codebase" data-name={group.name}>
      <tr class="group">
        <th colSpan={9}>
          <button type="button" class="link" onClick={() => showLogs(group.root, group.name)}>
            {group.name}
          </button>
          {!group.codebase && <span class="tag">server</span>}
          {group.codebase && !running && <span class="tag">not running</span>}
          {pending && <span class="pending">{doing(pending.verb)}…</span>}
        </th>
        <th class="buttons">
          {group.codebase && (
            <CodebaseButtons
              running={running}
              busy={pending !== undefined}
              act={(verb) =>
                actions.run(
                  verb === "start"
                    ? { action: "up", root: group.root, codebases: [group.name] }
                    : { action: verb, root: group.root, target: group.name },
                  verb,
                  group.name,
                )
              }
            />
          )}
        </th>
      </tr>
      {group.rows.map((row) => (
        <Row
          key={`${row.codebase}/${row.process}`}
          row={row}
          actions={group.codebase ? actions : undefined}
          showLogs={showLogs}
        />
      ))}
    </tbody>
  );
}

function CodebaseButtons(props: {
  running: boolean;
  busy: boolean;
  act(verb: "restart" | "stop" | "start"): void;
}) {
  return (
    <>
      <button type="button" disabled={props.busy || !props.running} onClick={() => props.act("restart")}>
        restart
      </button>
      <button type="button" disabled={props.busy || !props.running} onClick={() => props.act("stop")}>
        stop
      </button>
      <button type="button" disabled={props.busy} onClick={() => props.act("start")}>
        {props.running ? "start" : "up"}
      </button>
    </>
  );
}

function Row({
  row,
  actions,
  showLogs,
}: {
  row: ProcessRow;
  actions: Actions | undefined;
  showLogs(root: string, target: string): void;
}) {
  const name = `${row.codebase}/${row.process}`;
  const root = row.roots[0] ?? "";
  const pending = actions?.runningOn(name) ?? actions?.runningOn(row.codebase);
  const troubled = row.state === "crashed" || row.state === "failed" || row.state === "backoff";
  const act = (verb: "restart" | "stop" | "start") =>
    actions?.run(
      verb === "start"
        ? { action: "up", root, codebases: [row.codebase] }
        : { action: verb, root, target: name },
      verb,
      name,
    );
  return (
    <>
      <tr data-testid="process-row" data-name={name} data-state={row.state} class={`state-${row.state}`}>
        <td>
          <button type="button" class="link" title="show its logs" onClick={() => showLogs(root, name)}>
            {row.process}
          </button>
        </td>
        <td class="wrap">
          <span data-testid="state" class={`badge state-${row.state}`}>
            {pending && pending.state !== "done" ? `${doing(pending.verb)}… (${row.state})` : row.state}
          </span>
          {row.waiting && <div class="why">{row.waiting}</div>}
          {row.reason && <div class="why">{row.reason}</div>}
        </td>
        <td data-testid="pid">{row.pid ?? ""}</td>
        <td data-testid="port" class="wrap">
          {row.port !== null && (
            <a href={`http://127.0.0.1:${row.port}`} target="_blank" rel="noreferrer">
              {row.port}
            </a>
          )}
          {row.exposed.length > 0 && (
            <div class="why warn">reachable from other machines: {row.exposed.join(", ")}</div>
          )}
        </td>
        <td>{row.restarts}</td>
        <td>{duration(row.uptime_s)}</td>
        <td>{percent(row.cpu_percent)}</td>
        <td>{bytes(row.rss_bytes)}</td>
        <td class="reload">{row.last_reload?.message ?? ""}</td>
        <td class="buttons">
          {actions && (
            <>
              <button
                type="button"
                data-testid="restart"
                disabled={pending !== undefined}
                onClick={() => act("restart")}
              >
                restart
              </button>
              {RUNNING.has(row.state) ? (
                <button
                  type="button"
                  data-testid="stop"
                  disabled={pending !== undefined}
                  onClick={() => act("stop")}
                >
                  stop
                </button>
              ) : (
                <button
                  type="button"
                  data-testid="start"
                  disabled={pending !== undefined}
                  onClick={() => act("start")}
                >
                  start
                </button>
              )}
            </>
          )}
        </td>
      </tr>
      {troubled && (row.exit_code !== null || (row.last_lines?.length ?? 0) > 0) && (
        <tr class="last-lines" data-testid="last-lines" data-name={name}>
          <td colSpan={10}>
            <div>
              {row.exit_code !== null && `exit code ${row.exit_code}`}
              {row.exit_signal && ` (${row.exit_signal})`}
            </div>
            {row.last_lines && row.last_lines.length > 0 && <pre>{row.last_lines.join("\n")}</pre>}
          </td>
        </tr>
      )}
    </>
  );
}
