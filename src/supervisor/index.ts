export { SupervisorClient } from "./client.js";
export { socketPath } from "./socket.js";
