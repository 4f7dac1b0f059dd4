// The manifest's shape, for editors, docs and tools: the JSON Schema, the reference page, the parser.
export {
  jsonSchema,
  loadManifest,
  type Manifest,
  manifestReference,
  manifestSchema,
} from "../manifest/index.js";
