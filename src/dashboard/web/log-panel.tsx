import { Component } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { LogsAnswer, ProcessRow, WorkspaceView } from "../types.js";
import { clock } from "./format.js";
import type { LiveChannels } from "./live.js";
import { CHUNK_SIZE, LogBuffer, type LogChunk, type PageLine } from "./log-buffer.js";
import { highlightPieces, type LogSearch, matches, parseSearch } from "./log-search.js";

/** Whose logs the panel shows: a workspace's all (target ""), one codebase, or one codebase/process. */
export interface LogSelection {
  root: string;
  target: string;
}

type Stream = PageLine["stream"];
const STREAMS: Stream[] = ["out", "err", "berth"];
const HISTORY_LIMIT = 2000;

export function LogPanel(props: {
  workspaces: WorkspaceView[];
  processes: ProcessRow[];
  channels: LiveChannels;
  selection: LogSelection | undefined;
  select(selection: LogSelection): void;
}) {
  const { workspaces, processes, channels, select } = props;
  const selection = props.selection ?? (workspaces[0] ? { root: workspaces[0].root, target: "" } : undefined);
  const [searchText, setSearchText] = useState("");
  const [streams, setStreams] = useState<Set<Stream>>(new Set(STREAMS));
  const [follow, setFollow] = useState(true);
  const [, setVersion] = useState(0);
  const buffer = useRef<LogBuffer | null>(null);
  buffer.current ??= new LogBuffer(() => setVersion((version) => version + 1));
  const search = parseSearch(searchText);
  // The page filters what it holds at each key; the server is asked for older matches once typing pauses.
  const [grep, setGrep] = useState<string | undefined>(undefined);
  useEffect(() => {
    const timer = setTimeout(() => setGrep(search?.grep), 300);
    return () => clearTimeout(timer);
  }, [search?.grep]);

  useEffect(() => () => buffer.current?.dispose(), []);

  // History of the selection (and search) from the server; live lines are added as they come.
  useEffect(() => {
    if (!selection) return;
    const logs = buffer.current;
    logs?.clear();
    const controller = new AbortController();
    const query = new URLSearchParams({ root: selection.root, limit: String(HISTORY_LIMIT) });
    if (selection.target) query.set("target", selection.target);
    if (grep) query.set("grep", grep);
    fetch(`/api/logs?${query}`, { signal: controller.signal })
      .then((response) => (response.ok ? (response.json() as Promise<LogsAnswer>) : { lines: [] }))
      .then(({ lines }) =>
        logs?.replace(
          lines.map((line) => ({
            root: selection.root,
            codebase: line.codebase,
            name: line.name,
            stream: line.s,
            text: line.l,
            t: line.t,
          })),
        ),
      )
      .catch(() => undefined);
    const stop = channels.onRuntime(({ root, event }) => {
      if (event.type !== "line") return;
      if (root && root !== selection.root) return;
      const target = selection.target;
      if (target && target !== event.codebase && target !== `${event.codebase}/${event.name}`) return;
      logs?.add({
        root,
        codebase: event.codebase,
        name: event.name,
        stream: event.stream,
        text: event.line,
        t: event.t,
      });
    });
    return () => {
      controller.abort();
      stop();
    };
  }, [selection?.root, selection?.target, grep, channels.onRuntime]);

  useEffect(() => {
    buffer.current?.setFilter((line) => streams.has(line.stream) && matches(search ?? undefined, line.text));
  }, [streams, searchText]);

  const scroller = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (follow && element) element.scrollTop = element.scrollHeight;
  });

  const options = sourceOptions(workspaces, processes);
  const chunks = buffer.current.chunks;
  return (
    <section class="logs">
      <div class="log-tools">
        <select
          data-testid="log-source"
          value={selection ? JSON.stringify(selection) : ""}
          onChange={(event) => select(JSON.parse(event.currentTarget.value) as LogSelection)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <input
          data-testid="log-search"
          type="search"
          class={search === null ? "invalid" : ""}
          placeholder="search text or /regex/"
          value={searchText}
          onInput={(event) => setSearchText(event.currentTarget.value)}
        />
        {STREAMS.map((stream) => (
          <label key={stream}>
            <input
              type="checkbox"
              data-testid={`stream-${stream}`}
              checked={streams.has(stream)}
              onChange={() => {
                const next = new Set(streams);
                if (!next.delete(stream)) next.add(stream);
                setStreams(next);
              }}
            />
            {stream}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            data-testid="log-follow"
            checked={follow}
            onChange={(event) => setFollow(event.currentTarget.checked)}
          />
          follow
        </label>
        <span class="count">{buffer.current.shownCount()} lines</span>
      </div>
      <div
        class="log-lines"
        role="log"
        aria-live="off"
        ref={scroller}
        // Following stops at the user's hand only (a wheel up, a press to select text or drag the bar): the view also
        // moves by itself as lines come and go.
        onWheel={(event) => {
          const element = event.currentTarget;
          if (event.deltaY < 0) setFollow(false);
          else if (element.scrollHeight - element.scrollTop - element.clientHeight < 8) setFollow(true);
        }}
        onPointerDown={() => setFollow(false)}
      >
        {chunks.map((chunk) => (
          <Chunk
            key={chunk.id}
            chunk={chunk}
            count={chunk.lines.length}
            search={search ?? undefined}
            several={!selection?.target.includes("/")}
          />
        ))}
      </div>
    </section>
  );
}

interface ChunkProps {
  chunk: LogChunk;
  count: number;
  search: LogSearch | undefined;
  several: boolean;
}

/** A run of lines drawn once: it draws again only when it grows or the search changes. */
class Chunk extends Component<ChunkProps> {
  override shouldComponentUpdate(next: ChunkProps): boolean {
    return (
      next.count !== this.props.count ||
      next.search?.grep !== this.props.search?.grep ||
      next.several !== this.props.several
    );
  }

  override render({ chunk, search, several }: ChunkProps) {
    return (
      <div class={chunk.lines.length >= CHUNK_SIZE ? "chunk full" : "chunk"}>
        {chunk.lines.map((line) => (
          <div key={line.key} data-testid="log-line" class={`line s-${line.stream}`}>
            <span class="p">
              {several ? `${clock(line.t)} ${line.codebase}/${line.name} ` : `${clock(line.t)} `}
            </span>
            {search
              ? highlightPieces(search, line.text).map(([text, hit], index) =>
                  hit ? <mark key={index}>{text}</mark> : text,
                )
              : line.text}
          </div>
        ))}
      </div>
    );
  }
}

function sourceOptions(workspaces: WorkspaceView[], processes: ProcessRow[]) {
  const options: { value: string; label: string }[] = [];
  const add = (root: string, target: string, label: string) =>
    options.push({ value: JSON.stringify({ root, target }), label });
  for (const workspace of workspaces) {
    const prefix = workspaces.length > 1 ? `${workspace.name}: ` : "";
    add(workspace.root, "", `${prefix}all`);
    for (const codebase of workspace.graph.codebases) {
      add(workspace.root, codebase.name, `${prefix}${codebase.name}`);
      for (const row of processes) {
        if (row.codebase === codebase.name && row.roots.includes(workspace.root))
          add(workspace.root, `${row.codebase}/${row.process}`, `${prefix}${row.codebase}/${row.process}`);
      }
    }
  }
  return options;
}
