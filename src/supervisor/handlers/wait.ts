import { BerthError } from "../../errors/index.js";
import { nothingRunningError } from "../../graph/index.js";
import type { Handler } from "../handler.js";

export const wait: Handler<"wait"> = async (daemon, params) => {
  const codebases = params.codebases ?? [];
  const processes = daemon.workspaces.processesOf(await daemon.workspaces.running(params.root), codebases);
  // Nothing to wait for is not "ready": a CI script that forgot `up` must fail here, not later.
  if (processes.length === 0) throw nothingRunningError("wait", codebases);
  const timeoutMs = params.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const outcome = await Promise.race([Promise.all(processes.map((process) => process.whenReady())), timeout]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    const waiting = processes.filter((process) => process.state !== "ready");
    throw new BerthError(
      "BERTH_WAIT_TIMEOUT",
      `still not ready after ${timeoutMs / 1000} s: ${waiting.map((process) => `${process.name} (${process.state}${process.waiting ? `: ${process.waiting}` : ""})`).join("; ")}`,
      { hint: "see `berth status` and `berth logs`" },
    );
  }
  return { ready: processes.map((process) => process.name) };
};
