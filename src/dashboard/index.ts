export { startDashboard } from "./server.js";
export type * from "./types.js";
