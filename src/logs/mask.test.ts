import { describe, expect, it } from "vitest";
import { Masker } from "./mask.js";

describe("Masker", () => {
  it("hides a secret that contains another secret whole, not leaving its tail", () => {
    const masker = new Masker(["x-admin", "x-admin-token"]);
    expect(masker.mask("ADMIN_TOKEN=x-admin-token ADMIN_PASSWORD=x-admin")).toBe(
      "ADMIN_TOKEN=**** ADMIN_PASSWORD=****",
    );
  });

  it("hides values with regular-expression characters literally, and URL passwords", () => {
    const masker = new Masker(["a.b*c(d)", "abc"]);
    expect(masker.mask("a.b*c(d) axbbc abc")).toBe("**** axbbc abc");
    expect(masker.mask("postgres://app:s3cr3t@127.0.0.1:5432/app")).toBe(
      "postgres://app:****@127.0.0.1:5432/app",
    );
  });

  it("hides each line of a multi-line secret", () => {
    expect(new Masker(["first-line\nsecond-line"]).mask("got second-line")).toBe("got ****");
  });
});
