export { closest, didYouMean } from "./did-you-mean.js";
export { DURATION_EXAMPLES, durationMs, formatDuration, parseDuration } from "./duration.js";
export { EXTERNAL_EXPORTS } from "./external-checks.js";
export { type ExternalAddress, isUrlProblem, parseExternalUrl, shownUrl } from "./external-url.js";
export type { EnvReference, InterpolatedField, PendingExport } from "./fields.js";
export {
  NAMESPACES,
  parseTemplate,
  type Reference,
  type ReferencePart,
  referencesIn,
  renderTemplate,
  type TemplatePart,
} from "./interpolation.js";
export { jsonSchema } from "./json-schema.js";
export {
  type LoadedManifest,
  loadManifest,
  MANIFEST_FILE,
  manifestPath,
  type RenderedFileTemplate,
} from "./load.js";
export { manifestReference } from "./reference.js";
export {
  type Command,
  type Container,
  claimOutputNames,
  type ExternalRequirement,
  type Manifest,
  manifestSchema,
  PROBE_KINDS,
  PROVIDER_EXPORTS,
  PROVIDERS,
  type Probe,
  type Process,
  type ProviderKind,
  type ProviderRequirement,
  type Requirement,
  type Task,
} from "./schema.js";
export { sinceToEpoch } from "./since.js";
export { parseYaml, readYamlFile, type YamlPath, type YamlSource } from "./source.js";
export { type UnknownName, unknownNameError } from "./unknown-name.js";
