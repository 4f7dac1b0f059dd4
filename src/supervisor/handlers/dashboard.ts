import type { Handler } from "../handler.js";

/** `berth dashboard`: starts the dashboard's server unless it runs, and answers its address. */
export const dashboard: Handler<"dashboard"> = (daemon) => daemon.dashboard();
