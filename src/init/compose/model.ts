import type { Location } from "../../errors/index.js";
import type { ProviderKind } from "../../manifest/index.js";
import type { Probe } from "./commands.js";

/** A requirement of a draft, by alias. */
export type DraftRequirement =
  | { kind: "provider"; provider: ProviderKind; version?: string; database?: string; comment?: string }
  | { kind: "external"; url: string; ready?: Probe; comment?: string }
  | { kind: "path"; path: string; comment?: string };

export interface DraftProcess {
  name: string;
  service: string;
  /** The command line, or undefined when it only makes sense inside the image (see `todo`). */
  run?: string;
  todo?: string;
  port?: number | "auto";
  ready?: Probe;
  comments: string[];
}

/** One codebase's berth.yaml, before it is written. */
export interface CodebaseDraft {
  name: string;
  /** Where the codebase's code is, if Compose says (a build context or a bind-mounted folder). */
  source?: string;
  comments: string[];
  requires: Map<string, DraftRequirement>;
  env: Map<string, string>;
  /** The Compose env_file it reads (absolute; written relative to the draft). */
  envFile?: string;
  processes: DraftProcess[];
  exports: Map<string, string>;
}

export type DependsOnKept = "requirement" | "order" | "note";

/** What happened to one Compose service. */
export interface ServiceReport {
  service: string;
  became: "process" | "task" | "provider" | "external";
  image?: string;
  codebase?: string;
  process?: string;
  provider?: string;
  version?: string;
  url?: string;
  dependsOn: { on: string; condition: string; kept: DependsOnKept; detail: string }[];
  /** Keys of the service with no equivalent in the draft, with what they held. */
  dropped: string[];
  /** TODOs and decisions a reader should check. */
  notes: string[];
  /** Environment values rewritten: another service's host became a reference. */
  rewrites: { key: string; from: string; to: string }[];
}

export interface ImportReport {
  files: string[];
  services: ServiceReport[];
  codebases: { name: string; file: string; processes: string[]; source?: string }[];
  /** Variables the Compose files use but nothing sets (Compose uses ""). */
  unset: { name: string; location: Location }[];
  counts: {
    services: number;
    providers: number;
    processes: number;
    externals: number;
    dependsOn: number;
    dependsOnKept: number;
    hostsRewritten: number;
    todos: number;
  };
}
