import { describe, expect, it } from "vitest";
import { dnsName, providerImage, secretName } from "./names.js";

describe("target names", () => {
  it("pick the official image at an exact major, else the version Berth runs natively", () => {
    expect(providerImage("postgres", "16").image).toBe("postgres:16");
    expect(providerImage("postgres", ">=14").image).toBe("postgres:15");
    expect(providerImage("postgres", undefined).image).toBe("postgres:15");
    // A mysql claim is served by MariaDB, as natively: MySQL's own majors get MariaDB's default.
    expect(providerImage("mysql", "8").image).toBe("mariadb:10.11");
    expect(providerImage("mysql", "11.4").image).toBe("mariadb:11.4");
    expect(providerImage("redis", undefined)).toEqual({ image: "redis:7", version: "7", port: 6379 });
    expect(providerImage("memcached", undefined).image).toBe("memcached:1.6");
  });

  it("make DNS labels and secret names out of any codebase, process or alias name", () => {
    expect(dnsName("catalog", "Web_API")).toBe("catalog-web-api");
    expect(dnsName("a".repeat(70))).toHaveLength(63);
    expect(secretName("my-shop", "db", "password")).toBe("MY_SHOP__DB__PASSWORD");
  });
});
