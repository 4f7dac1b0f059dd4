import type { Handler } from "../handler.js";

export const ping: Handler<"ping"> = async (daemon) => ({
  pid: process.pid,
  processes: daemon.registry.all().length,
  memory: process.memoryUsage(),
});
