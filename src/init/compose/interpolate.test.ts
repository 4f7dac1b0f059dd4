import { describe, expect, it } from "vitest";
import { BerthError } from "../../errors/index.js";
import { interpolate } from "./interpolate.js";

const where = { file: "docker-compose.yml", line: 3, col: 5 };
const vars = (values: Record<string, string>) => (name: string) => values[name];

describe("Compose interpolation", () => {
  it("reads $VAR and ${VAR}, and $$ is a literal $", () => {
    const result = interpolate("$A-${B} $$C $${D}", vars({ A: "1", B: "2" }), where);
    expect(result).toEqual({ value: "1-2 $C ${D}", unset: [] });
  });

  it("defaults: :- for unset or empty, - for unset only; :+ and + for set", () => {
    const values = vars({ EMPTY: "", SET: "x" });
    expect(interpolate("${EMPTY:-d}|${EMPTY-d}|${NONE-d}|${NONE:-d}", values, where).value).toBe("d||d|d");
    expect(interpolate("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${NONE+alt}", values, where).value).toBe(
      "alt||alt|",
    );
    expect(interpolate("${NONE:-${SET}}", values, where).value).toBe("x");
  });

  it("an unset variable is empty and reported, as Compose warns", () => {
    expect(interpolate("/ws/${WORKSPACE}/x", vars({}), where)).toEqual({
      value: "/ws//x",
      unset: ["WORKSPACE"],
    });
  });

  it("${VAR:?message} of an unset variable is an error at its place", () => {
    let error: unknown;
    try {
      interpolate("${TOKEN:?set TOKEN first}", vars({}), where);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({ code: "BERTH_IMPORT_VARIABLE", location: where });
    expect((error as Error).message).toBe("TOKEN must be set: set TOKEN first");
  });

  it("a malformed ${...} is an error at its place, with the forms that work", () => {
    expect(() => interpolate("${NOT CLOSED", vars({}), where)).toThrow(/is not a variable Compose can read/);
  });

  it("in environment values a plain ${VAR} of the host is read later, as ${env.VAR}", () => {
    const result = interpolate("/bin:${PATH}:${DEFAULTED:-x}", vars({}), where, (name) => name === "PATH");
    expect(result.value).toBe("/bin:${env.PATH}:x");
  });
});
