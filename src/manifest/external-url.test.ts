import { describe, expect, it } from "vitest";
import { parseExternalUrl, shownUrl } from "./external-url.js";

describe("an external's url", () => {
  it("gives host and port, the scheme's default port when it names none, and the password decoded", () => {
    expect(parseExternalUrl("http://127.0.0.1:9200")).toEqual({
      url: "http://127.0.0.1:9200",
      scheme: "http",
      host: "127.0.0.1",
      port: 9200,
    });
    expect(parseExternalUrl("https://search.example.org/")).toMatchObject({ port: 443 });
    expect(parseExternalUrl("mysql://root:p%40ss@127.0.0.1/edxapp")).toMatchObject({
      scheme: "mysql",
      host: "127.0.0.1",
      port: 3306,
      password: "p@ss",
    });
    expect(parseExternalUrl("mongodb://[::1]")).toMatchObject({ host: "::1", port: 27017 });
    expect(parseExternalUrl("kafka://127.0.0.1")).toMatchObject({ port: 9092 });
  });

  it("refuses what is not a URL, a port out of range, and a port neither written nor known", () => {
    expect(parseExternalUrl("localhost:9200")).toMatchObject({ message: '"localhost:9200" is not a URL' });
    expect(parseExternalUrl("http://127.0.0.1:0")).toMatchObject({ message: "port 0 is out of range" });
    expect(parseExternalUrl("mysql://u:p@127.0.0.1:65536/db")).toMatchObject({
      message: "port 65536 is out of range",
    });
    expect(parseExternalUrl("foo://127.0.0.1")).toMatchObject({
      hint: 'add the port, e.g. "foo://127.0.0.1:<port>"',
    });
  });

  it("is shown with its password hidden", () => {
    expect(shownUrl("mysql://root:s3cret@127.0.0.1:3307/edxapp")).toBe(
      "mysql://root:****@127.0.0.1:3307/edxapp",
    );
    expect(shownUrl("http://127.0.0.1:9200")).toBe("http://127.0.0.1:9200");
  });
});
