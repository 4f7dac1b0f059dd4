// How Berth writes and reads durations, for reporters and flags (loads the manifest door only).
export { DURATION_EXAMPLES, formatDuration, parseDuration } from "../manifest/index.js";
