// How Berth writes and reads durations, for reporters and flags. The one file of the manifest room the CLI
// loads past its door: the door brings the YAML parser and zod (half a megabyte) to every `up` and `wait`.
export { DURATION_EXAMPLES, formatDuration, parseDuration } from "../manifest/duration.js";
