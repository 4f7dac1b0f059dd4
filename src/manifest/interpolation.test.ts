import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTemplate, referencesIn, renderTemplate } from "./interpolation.js";

const render = (template: string, values: Record<string, string>) =>
  renderTemplate(parseTemplate(template).parts, (ref) => {
    const key = Object.values(ref).slice(1).join(".");
    const value = values[`${ref.kind}.${key}`];
    if (value === undefined) throw new Error(`no value for ${ref.kind}.${key}`);
    return value;
  });

describe("interpolation", () => {
  it.each([
    ["postgres://${requires.db.host}:${requires.db.port}", "postgres://127.0.0.1:5432"],
    ["${processes.web.port}", "4100"],
    ["${env.HOME_DIR}/x", "/home/me/x"],
    ["pip install -e ${self.dir}", "pip install -e /src/app"],
    ["--config=${files.app_config}", "--config=/state/app.yml"],
    ["http://127.0.0.1:${self.port}", "http://127.0.0.1:4100"],
    ["KEY=${secret.app_key}", "KEY=s3cr3t"],
    ["${HOME} ${foo.bar} ${a.b.c}", "${HOME} ${foo.bar} ${a.b.c}"],
    ["echo ${HOME} ${PATH:-/bin} $${requires.db.url}", "echo ${HOME} ${PATH:-/bin} ${requires.db.url}"],
    ["$$ and $ and ${", "$$ and $ and ${"],
    ["no references at all", "no references at all"],
  ])("%s → %s", (template, expected) => {
    const values = {
      "requires.db.host": "127.0.0.1",
      "requires.db.port": "5432",
      "processes.web.port": "4100",
      "env.HOME_DIR": "/home/me",
      "self.dir": "/src/app",
      "files.app_config": "/state/app.yml",
      "self.port": "4100",
      "secret.app_key": "s3cr3t",
    };
    expect(parseTemplate(template).problems).toEqual([]);
    expect(render(template, values)).toBe(expected);
  });

  it.each([
    ["${requires.db}", 0, "`${requires.db}` is not a valid reference"],
    ["${requires}x", 0, "`${requires}` is not a valid reference"],
    ["x ${requires.db.url", 2, "`${requires.db.url` is not closed"],
    ["${processes.web.host}", 0, "`${processes.web.host}` is not a valid reference"],
    ["${self.a.b}", 0, "`${self.a.b}` is not a valid reference"],
    ["${secret}", 0, "`${secret}` is not a valid reference"],
    ["x ${require.db.url}", 2, "`${require.db.url}` is not a reference: Berth has no namespace `require`"],
    [
      "${proccesses.web.port}",
      0,
      "`${proccesses.web.port}` is not a reference: Berth has no namespace `proccesses`",
    ],
    ["${secrets.key}", 0, "`${secrets.key}` is not a reference: Berth has no namespace `secrets`"],
    ["${Env.HOME}", 0, "`${Env.HOME}` is not a reference: Berth has no namespace `Env`"],
    ["${files.a.b}", 0, "`${files.a.b}` is not a valid reference"],
    ["${env.}", 0, "`${env.}` is not a valid reference"],
    ["${requires.db.url.x}", 0, "`${requires.db.url.x}` is not a valid reference"],
  ])("%s is a problem at offset %d", (template, offset, message) => {
    const { problems } = parseTemplate(template);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.offset).toBe(offset);
    expect(problems[0]?.message).toBe(message);
  });

  it("says which namespace a misspelt one meant", () => {
    expect(parseTemplate("${require.db.url}").problems[0]?.hint).toBe(
      "did you mean `${requires.db.url}`? (write $${ for a literal ${)",
    );
  });

  it("keeps the offset of every reference", () => {
    const template = "a${requires.db.url}b${env.X}";
    expect(referencesIn(parseTemplate(template).parts).map((part) => [part.offset, part.text])).toEqual([
      [1, "${requires.db.url}"],
      [20, "${env.X}"],
    ]);
  });

  it("rendering each reference as its own text gives the template back (any text without $${)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string().filter((text) => !text.includes("$")),
            fc.constantFrom(
              "${requires.db.url}",
              "${processes.web.port}",
              "${env.PATH}",
              "${self.dir}",
              "${files.cfg}",
              "${HOME}",
              "$",
              "{",
              "}",
            ),
          ),
        ),
        (pieces) => {
          const template = pieces.join("");
          fc.pre(!template.includes("$${"));
          const { parts, problems } = parseTemplate(template);
          fc.pre(problems.length === 0);
          const rendered = renderTemplate(parts, (ref) => {
            const found = referencesIn(parts).find((part) => part.ref === ref);
            return found?.text ?? "?";
          });
          expect(rendered).toBe(template);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("$${ always writes a literal ${ and is never a reference", () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !text.includes("$") && !text.includes("}")),
        (body) => {
          const { parts, problems } = parseTemplate(`$\${requires.${body}}`);
          expect(problems).toEqual([]);
          expect(referencesIn(parts)).toEqual([]);
          expect(renderTemplate(parts, () => "X")).toBe(`\${requires.${body}}`);
        },
      ),
    );
  });
});
