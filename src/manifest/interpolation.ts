import { closest } from "./did-you-mean.js";

/**
 * `${…}` interpolation. Only six namespaces are Berth's (requires, processes, env, self, files, secret);
 * any other `${…}` is left for the shell, and `$${` writes a literal `${`.
 */

export type Reference =
  | { kind: "requires"; alias: string; key: string }
  | { kind: "processes"; process: string; key: string }
  | { kind: "env"; name: string }
  | { kind: "self"; key: string }
  | { kind: "files"; name: string }
  | { kind: "secret"; name: string };

export interface ReferencePart {
  ref: Reference;
  /** The reference as written, e.g. `${requires.db.url}`. */
  text: string;
  /** Offset of the `$` in the template. */
  offset: number;
}

export type TemplatePart = string | ReferencePart;

export interface TemplateProblem {
  offset: number;
  message: string;
  hint?: string;
}

export const NAMESPACES = ["requires", "processes", "env", "self", "files", "secret"] as const;

const SHAPES: Record<(typeof NAMESPACES)[number], string> = {
  requires: "${requires.<alias>.<export>}",
  processes: "${processes.<name>.port}",
  env: "${env.<VARIABLE>}",
  self: "${self.dir} or ${self.<export>}",
  files: "${files.<name>}",
  secret: "${secret.<name>}",
};

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** A dotted name such as `require.db.url`: never valid for the shell, so a near-miss namespace is a typo. */
const DOTTED = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)+$/;

export function parseTemplate(template: string): { parts: TemplatePart[]; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let literal = "";
  let index = 0;
  while (index < template.length) {
    if (template.startsWith("$${", index)) {
      literal += "${";
      index += 3;
      continue;
    }
    if (!template.startsWith("${", index)) {
      literal += template[index];
      index += 1;
      continue;
    }
    const close = template.indexOf("}", index + 2);
    const body = template.slice(index + 2, close === -1 ? undefined : close);
    const namespace = NAMESPACES.find((name) => body === name || body.startsWith(`${name}.`));
    const misspelt = namespace === undefined && close !== -1 ? misspeltNamespace(body) : undefined;
    if (misspelt !== undefined) {
      const text = template.slice(index, close + 1);
      problems.push({
        offset: index,
        message: `\`${text}\` is not a reference: Berth has no namespace \`${body.split(".")[0]}\``,
        hint: `did you mean \`\${${misspelt}${body.slice(body.indexOf("."))}}\`? (write $\${ for a literal \${)`,
      });
      index = close + 1;
      continue;
    }
    if (namespace === undefined) {
      // Not ours: the shell's `${HOME}` or `${VAR:-default}`.
      const end = close === -1 ? template.length : close + 1;
      literal += template.slice(index, end);
      index = end;
      continue;
    }
    if (close === -1) {
      problems.push({ offset: index, message: `\`\${${body}\` is not closed`, hint: "add the closing `}`" });
      literal += template.slice(index);
      break;
    }
    const text = template.slice(index, close + 1);
    const ref = toReference(namespace, body.split(".").slice(1));
    if (ref === undefined) {
      problems.push({
        offset: index,
        message: `\`${text}\` is not a valid reference`,
        hint: `write it as ${SHAPES[namespace]}`,
      });
    } else {
      if (literal) parts.push(literal);
      literal = "";
      parts.push({ ref, text, offset: index });
    }
    index = close + 1;
  }
  if (literal) parts.push(literal);
  return { parts, problems };
}

function toReference(namespace: (typeof NAMESPACES)[number], segments: string[]): Reference | undefined {
  if (!segments.every((segment) => SEGMENT.test(segment))) return undefined;
  const [first, second] = segments;
  switch (namespace) {
    case "requires":
      return segments.length === 2 && first && second
        ? { kind: "requires", alias: first, key: second }
        : undefined;
    case "processes":
      return segments.length === 2 && first && second === "port"
        ? { kind: "processes", process: first, key: second }
        : undefined;
    case "env":
      return segments.length === 1 && first ? { kind: "env", name: first } : undefined;
    case "self":
      return segments.length === 1 && first ? { kind: "self", key: first } : undefined;
    case "files":
      return segments.length === 1 && first ? { kind: "files", name: first } : undefined;
    case "secret":
      return segments.length === 1 && first ? { kind: "secret", name: first } : undefined;
  }
}

/** The namespace a dotted `${…}` most likely meant (`require.db.url` → requires), if it is a near miss. */
function misspeltNamespace(body: string): string | undefined {
  if (!DOTTED.test(body)) return undefined;
  return closest(body.slice(0, body.indexOf(".")), NAMESPACES);
}

/** Renders parsed parts; `resolve` gives the value of each reference. */
export function renderTemplate(parts: readonly TemplatePart[], resolve: (ref: Reference) => string): string {
  return parts.map((part) => (typeof part === "string" ? part : resolve(part.ref))).join("");
}

export function referencesIn(parts: readonly TemplatePart[]): ReferencePart[] {
  return parts.filter((part): part is ReferencePart => typeof part !== "string");
}
