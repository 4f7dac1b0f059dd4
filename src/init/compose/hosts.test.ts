import { describe, expect, it } from "vitest";
import { findHosts, hostIndex } from "./hosts.js";
import type { LoadedService } from "./load.js";

const service = (name: string, spec: Record<string, unknown>): LoadedService => ({
  name,
  spec,
  extended: [],
  locate: () => ({ file: "docker-compose.yml", line: 1, col: 1 }),
});

const index = hostIndex([
  service("redis", { container_name: "edx.devstack.redis" }),
  service("lms", { networks: { default: { aliases: ["edx.devstack.lms", "lms.devstack.edx"] } } }),
  service("lms_watcher", { networks: { default: { aliases: ["edx.devstack.lms_watcher"] } } }),
  service("web", { links: ["redis:cache"] }),
]);
const hosts = (value: string, hostKey = false) =>
  findHosts(value, index, hostKey).map((use) => [use.service, value.slice(use.start, use.end), use.port]);

describe("recognising other services' hosts in a value", () => {
  it("dotted names (container_name, aliases) anywhere, with their port", () => {
    expect(hosts("http://edx.devstack.lms:18000/oauth2")).toEqual([
      ["lms", "edx.devstack.lms:18000", "18000"],
    ]);
    expect(hosts("edx.devstack.redis:6379,lms.devstack.edx")).toEqual([
      ["redis", "edx.devstack.redis:6379", "6379"],
      ["lms", "lms.devstack.edx", undefined],
    ]);
  });

  it("the longest name wins: edx.devstack.lms_watcher is not edx.devstack.lms", () => {
    expect(hosts("edx.devstack.lms_watcher")).toEqual([
      ["lms_watcher", "edx.devstack.lms_watcher", undefined],
    ]);
    expect(hosts("edx.devstack.lms.example.org")).toEqual([]);
  });

  it("a plain service name only where it is a host: name:port, scheme://name, or a host variable's whole value", () => {
    expect(hosts("redis")).toEqual([]);
    expect(hosts("redis", true)).toEqual([["redis", "redis", undefined]]);
    expect(hosts("redis://:pw@redis:6379/0")).toEqual([["redis", "redis:6379", "6379"]]);
    expect(hosts("lms:18000")).toEqual([["lms", "lms:18000", "18000"]]);
    expect(hosts("use lms for this")).toEqual([]);
  });

  it("a links alias names the linked service", () => {
    expect(hosts("cache:6379")).toEqual([["redis", "cache:6379", "6379"]]);
  });
});
