import { toJSONSchema } from "zod";
import { manifestSchema } from "./schema.js";

/** The manifest's JSON Schema, for editors; its own module, as only `berth schema` needs the converter. */
export function jsonSchema(): Record<string, unknown> {
  return toJSONSchema(manifestSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}
