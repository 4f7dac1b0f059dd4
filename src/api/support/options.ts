import { berthHome } from "../../state/index.js";

/** Where the user's state is: every library call takes it. */
export interface HomeOptions {
  /** `$BERTH_HOME`; defaults from the environment. */
  home?: string;
  /** Aborting it cancels the call: what it started is stopped, what it waits for is left. */
  signal?: AbortSignal;
}

/** What every library call needs to find a workspace and the user's state. */
export interface WorkspaceOptions extends HomeOptions {
  /** The root codebase's folder (or its manifest). */
  root: string;
}

export function homeOf(options: HomeOptions & { root?: string }): string {
  return options.home ?? berthHome();
}

/** Rejects with the signal's reason once it is aborted; never settles otherwise. */
export function whenAborted(signal: AbortSignal | undefined): { promise: Promise<never>; dispose(): void } {
  if (!signal) return { promise: new Promise<never>(() => {}), dispose: () => {} };
  let dispose = () => {};
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    dispose = () => signal.removeEventListener("abort", onAbort);
  });
  return { promise, dispose };
}

/** Runs `work` unless `signal` is (or gets) aborted: then it rejects with the signal's reason at once. */
export async function unlessAborted<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  signal?.throwIfAborted();
  const aborted = whenAborted(signal);
  try {
    return await Promise.race([work(), aborted.promise]);
  } finally {
    aborted.dispose();
  }
}
