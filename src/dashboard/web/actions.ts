import { useEffect, useRef, useState } from "preact/hooks";
import type { ActionProgress, ActionRequest } from "../types.js";
import type { LiveChannels } from "./live.js";

/** An action the user started from this page, and how it went. */
export interface ActionItem {
  key: number;
  id?: string;
  /** `restart catalog/api` */
  label: string;
  /** What it acts on (`catalog/api`, `catalog`): rows show its progress. */
  target: string;
  verb: string;
  state: "sending" | "running" | "done" | "failed";
  message?: string;
}

export interface Actions {
  items: ActionItem[];
  run(request: ActionRequest, verb: string, target: string): void;
  /** The action still running on this target, if any. */
  runningOn(target: string): ActionItem | undefined;
  dismiss(key: number): void;
}

/** Posts actions and follows their progress (the stream's `action` events). */
export function useActions(channels: LiveChannels): Actions {
  const [items, setItems] = useState<ActionItem[]>([]);
  const early = useRef(new Map<string, ActionProgress>());
  const nextKey = useRef(0);

  useEffect(
    () =>
      channels.onAction((progress) => {
        setItems((current) => {
          if (!current.some((item) => item.id === progress.id)) {
            early.current.set(progress.id, progress);
            return current;
          }
          return current.map((item) => (item.id === progress.id ? withProgress(item, progress) : item));
        });
      }),
    [channels.onAction],
  );

  const change = (key: number, update: (item: ActionItem) => ActionItem) =>
    setItems((current) => current.map((item) => (item.key === key ? update(item) : item)));

  const run = (request: ActionRequest, verb: string, target: string) => {
    const key = nextKey.current++;
    setItems((current) => [
      ...current.slice(-19),
      { key, label: `${verb} ${target}`, verb, target, state: "sending" },
    ]);
    postAction(request).then(
      (id) => {
        const progress = early.current.get(id);
        early.current.delete(id);
        change(key, (item) => {
          const started: ActionItem = { ...item, id, state: "running" };
          return progress ? withProgress(started, progress) : started;
        });
      },
      (error: unknown) =>
        change(key, (item) => ({
          ...item,
          state: "failed",
          message: error instanceof Error ? error.message : String(error),
        })),
    );
  };

  return {
    items,
    run,
    runningOn: (target) =>
      items.findLast(
        (item) => item.target === target && (item.state === "sending" || item.state === "running"),
      ),
    dismiss: (key) => setItems((current) => current.filter((item) => item.key !== key)),
  };
}

function withProgress(item: ActionItem, progress: ActionProgress): ActionItem {
  return { ...item, state: progress.state, message: progress.message ?? item.message };
}

async function postAction(request: ActionRequest): Promise<string> {
  const response = await fetch("/api/actions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  if (response.status !== 202) throw new Error((await response.text()) || `refused (${response.status})`);
  return ((await response.json()) as { id: string }).id;
}
