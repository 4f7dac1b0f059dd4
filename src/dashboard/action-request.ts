import { z } from "zod";
import type { ActionRequest } from "./types.js";

const root = z.string().min(1);
const name = z.string().min(1);

const schema = z.discriminatedUnion("action", [
  z.object({ action: z.enum(["restart", "stop"]), root, target: name }),
  z.object({ action: z.literal("up"), root, codebases: z.array(name) }),
  z.object({ action: z.literal("run-task"), root, codebase: name, task: name }),
  z.object({ action: z.literal("seed-reset"), root, codebase: name, confirm: z.literal(true) }),
  z.object({ action: z.literal("snapshot-restore"), root, name, confirm: z.literal(true) }),
]) satisfies z.ZodType<ActionRequest>;

/** An action's body, checked: the request, or what is wrong with it in words. */
export function parseActionRequest(body: string): { request: ActionRequest } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { problem: "the body is not JSON" };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { request: parsed.data };
  return {
    problem: parsed.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(body)"}: ${issue.message}`)
      .join("; "),
  };
}
