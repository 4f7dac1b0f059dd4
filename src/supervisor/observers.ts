import type { RuntimeEvent } from "../logs/index.js";
import type { SupervisedProcess } from "../processes/index.js";

/** One step of a workspace's last `up`, as it went. */
export interface StepView {
  id: string;
  state: "pending" | "running" | "done" | "skipped" | "failed" | "blocked";
  ms?: number;
  detail?: string;
  /** What it waits for, in the CLI's words, while it runs. */
  waiting?: string;
}

/** Told every event the supervisor emits, with the root folder of the workspace it concerns when known. */
export type Observer = (event: RuntimeEvent, root: string | null) => void;

interface LastUp {
  steps: Map<string, StepView>;
  owns: (process: SupervisedProcess) => boolean;
  trustAll: boolean;
}

/**
 * What the supervisor remembers and tells beyond the client that asked: per workspace (root folder), the steps
 * of its last `up`; and every event, to whoever observes (the dashboard). Nothing is done when nobody observes.
 */
export class Observers {
  readonly #observers = new Set<Observer>();
  readonly #ups = new Map<string, LastUp>();

  observe(observer: Observer): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** An `up` of the workspace at `root` begins: its steps replace the last one's. */
  upBegan(root: string, owns: (process: SupervisedProcess) => boolean, trustAll: boolean): void {
    this.#ups.set(root, { steps: new Map(), owns, trustAll });
  }

  /** An event of an `up` of `root` (its steps, what they wait for). */
  upEvent(root: string, event: RuntimeEvent): void {
    const up = this.#ups.get(root);
    if (up && event.type === "step") {
      const { type: _, step, ...rest } = event;
      up.steps.set(step, { id: step, ...rest });
    } else if (up && event.type === "waiting") {
      const step = up.steps.get(event.step);
      if (step) step.waiting = event.reason;
    }
    this.#publish(event, root);
  }

  /** An event of a process (or of none): told with the first workspace the process belongs to. */
  processEvent(event: RuntimeEvent, process?: SupervisedProcess): void {
    if (this.#observers.size === 0) return;
    this.#publish(event, process ? this.#firstRootOf(process) : null);
  }

  /** Without a copy: called for every line a process prints while the dashboard is loaded. */
  #firstRootOf(process: SupervisedProcess): string | null {
    for (const [root, up] of this.#ups) if (up.owns(process)) return root;
    return null;
  }

  /** The workspaces brought up since the supervisor started, by root folder. */
  roots(): string[] {
    return [...this.#ups.keys()];
  }

  /** The steps of the last `up` of `root`, in the order they began. */
  steps(root: string): StepView[] {
    return [...(this.#ups.get(root)?.steps.values() ?? [])].map((step) => ({ ...step }));
  }

  /** Whether the last `up` of `root` trusted every manifest (actions on it do the same). */
  trustAll(root: string): boolean {
    return this.#ups.get(root)?.trustAll ?? false;
  }

  /** The workspaces (root folders) a process belongs to. */
  rootsOf(process: SupervisedProcess): string[] {
    return [...this.#ups].filter(([, up]) => up.owns(process)).map(([root]) => root);
  }

  #publish(event: RuntimeEvent, root: string | null): void {
    for (const observer of this.#observers) observer(event, root);
  }
}
