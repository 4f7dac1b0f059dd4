import { BerthError } from "../errors/index.js";
import { looksSecret } from "../logs/index.js";
import {
  type Command,
  type Reference,
  referencesIn,
  renderTemplate,
  type TemplatePart,
  type YamlPath,
} from "../manifest/index.js";
import type { Codebase, Workspace } from "../workspace/index.js";
import { externalExports, externalSecrets } from "./external-exports.js";
import { secretClaimOutputs } from "./secret-outputs.js";

/** Where interpolated values come from: decided ports, claims made, files rendered, the user's env. */
export interface Bindings {
  port(codebase: string, process: string): number | undefined;
  /** A provider claim's exports (url, host, port, user, password, database). */
  providerExports?(codebase: string, alias: string): Record<string, string> | undefined;
  /** A codebase claim's outputs, for this consumer. */
  claimOutputs?(consumer: string, alias: string): Record<string, string> | undefined;
  /** Where a `files:` entry is rendered. */
  filePath?(codebase: string, name: string): string;
  /** A development secret of a codebase (`${secret.<name>}`), made once and kept. */
  secret?(codebase: string, name: string): string;
  /** What its toolchain adds: the found Node/Python folders first on PATH, its virtualenv (`VIRTUAL_ENV`). */
  toolchainEnv?(codebase: string): Record<string, string>;
  /** The folders its toolchain chose ("" for none): a process restarts when they change. */
  toolchainKey?(codebase: string): string;
  hostEnv: NodeJS.ProcessEnv;
}

/** Renders interpolated strings, env and exports of a workspace's codebases. */
export class Environment {
  readonly #workspace: Workspace;
  readonly #bindings: Bindings;

  constructor(workspace: Workspace, bindings: Bindings) {
    this.#workspace = workspace;
    this.#bindings = bindings;
  }

  /** The environment of a codebase's tasks and processes: the user's, then what the manifest decides. */
  env(codebaseName: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.#bindings.hostEnv))
      if (value !== undefined) env[key] = value;
    Object.assign(env, this.toolchainEnv(codebaseName));
    Object.assign(env, this.decidedEnv(codebaseName, "values"));
    env.BERTH_CODEBASE = codebaseName;
    return env;
  }

  /** What a codebase's toolchain adds to its environment: PATH with its tools' folders first, VIRTUAL_ENV. */
  toolchainEnv(codebaseName: string): Record<string, string> {
    return this.#bindings.toolchainEnv?.(codebaseName) ?? {};
  }

  /** The folders a codebase's toolchain chose, "" for none (the rest of PATH is the user's shell's). */
  toolchainKey(codebaseName: string): string {
    return this.#bindings.toolchainKey?.(codebaseName) ?? "";
  }

  /**
   * What the manifest decides of a codebase's environment: its env_file, then its `env:`. The one source of
   * what a process's hash and a task's key take (the user's shell changes between terminals; it does not
   * count). For a task's key a codebase claim's outputs stand as their `references`: a credential registered
   * anew (after its provider's data was reset) is the same grant, and the consumer's own data needs no
   * migrate or seed for it. Its processes do restart (their hash takes the `values`).
   */
  decidedEnv(codebaseName: string, claimOutputs: "values" | "references"): Record<string, string> {
    const codebase = this.#codebase(codebaseName);
    const env: Record<string, string> = { ...codebase.loaded.envFileValues };
    for (const [key, value] of Object.entries(codebase.loaded.manifest.env ?? {})) {
      if (typeof value !== "string") {
        env[key] = String(value);
        continue;
      }
      const field = codebase.loaded.fields.find((item) => item.path.join("\0") === `env\0${key}`);
      if (!field) throw new Error(`bug: no interpolated field env.${key} in ${codebaseName}`);
      const parts = field.parts.map((part) =>
        claimOutputs === "references" && typeof part !== "string" && this.#isClaimOutput(codebase, part.ref)
          ? part.text
          : part,
      );
      env[key] = this.render(codebaseName, parts);
    }
    return env;
  }

  #isClaimOutput(codebase: Codebase, ref: Reference): boolean {
    if (ref.kind !== "requires") return false;
    const dependency = this.#workspace.dependencies.find(
      (entry) => entry.from === codebase.name && entry.alias === ref.alias,
    );
    return dependency?.target.kind === "codebase" && !(ref.key in this.exportsOf(dependency.target.name));
  }

  /**
   * Values to hide in output: its own secrets and those of the codebases it requires (their values may
   * reach it through exports), and the secret outputs its claim task gave its consumers.
   */
  secrets(codebaseName: string): Set<string> {
    const secrets = this.#ownSecrets(codebaseName);
    for (const required of this.#requiredCodebases(codebaseName)) {
      // A requirement whose values cannot be rendered yet has none that could reach this codebase.
      for (const secret of this.#tolerant(() => this.#ownSecrets(required))) secrets.add(secret);
    }
    for (const { from, alias, target } of this.#workspace.dependencies) {
      if (target.kind !== "codebase" || target.name !== codebaseName) continue;
      for (const [key, value] of Object.entries(this.#claimOutputs(from, alias)))
        if (this.#isSecretOutput(codebaseName, key)) secrets.add(value);
    }
    return secrets;
  }

  /** The codebases a codebase requires, directly or through others. */
  #requiredCodebases(codebaseName: string): Set<string> {
    const found = new Set<string>();
    const queue = [codebaseName];
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      for (const { from, target } of this.#workspace.dependencies) {
        if (from !== name || target.kind !== "codebase" || found.has(target.name)) continue;
        found.add(target.name);
        queue.push(target.name);
      }
    }
    found.delete(codebaseName);
    return found;
  }

  /** env_file values; env values, provider exports and claim outputs with a secret name; its generated secrets. */
  #ownSecrets(codebaseName: string): Set<string> {
    const codebase = this.#codebase(codebaseName);
    const secrets = new Set(Object.values(codebase.loaded.envFileValues));
    const env = this.env(codebaseName);
    for (const [key, written] of Object.entries(codebase.loaded.manifest.env ?? {})) {
      const value = env[key];
      // `API_KEY_REQUIRED: true` is a setting, not a secret: hiding every "true" in the logs helps nobody.
      if (value && typeof written === "string" && looksSecret(key)) secrets.add(value);
    }
    for (const dependency of this.#workspace.dependencies) {
      if (dependency.from !== codebaseName) continue;
      if (dependency.target.kind === "provider") {
        const exports = this.#bindings.providerExports?.(codebaseName, dependency.alias) ?? {};
        for (const [key, value] of Object.entries(exports)) if (looksSecret(key)) secrets.add(value);
      } else if (dependency.target.kind === "external") {
        for (const value of externalSecrets(this.externalExports(codebaseName, dependency.alias)))
          secrets.add(value);
      } else {
        const target = dependency.target.name;
        for (const [key, value] of Object.entries(this.#claimOutputs(codebaseName, dependency.alias)))
          if (this.#isSecretOutput(target, key)) secrets.add(value);
      }
    }
    const fields = [...codebase.loaded.fields, ...codebase.loaded.files];
    for (const part of fields.flatMap((field) => referencesIn(field.parts)))
      if (part.ref.kind === "secret") secrets.add(this.#resolve(codebase, part.ref));
    return secrets;
  }

  #claimOutputs(consumer: string, alias: string): Record<string, string> {
    return this.#bindings.claimOutputs?.(consumer, alias) ?? {};
  }

  /** Only declared outputs reach a consumer, so the declaration says which are secret. */
  #isSecretOutput(providing: string, key: string): boolean {
    return secretClaimOutputs(this.#codebase(providing).loaded.manifest).includes(key);
  }

  #tolerant(secrets: () => Set<string>): Set<string> {
    try {
      return secrets();
    } catch (error) {
      if (error instanceof BerthError) return new Set();
      throw error;
    }
  }

  /** A command of the manifest (`run`, `ready.exec`), interpolated. */
  command(codebaseName: string, path: YamlPath, command: Command): Command {
    if (typeof command === "string") return this.field(codebaseName, path);
    return command.map((_, index) => this.field(codebaseName, [...path, index]));
  }

  /** What a codebase exports to its consumers. */
  exportsOf(codebaseName: string): Record<string, string> {
    const codebase = this.#codebase(codebaseName);
    const exports: Record<string, string> = { dir: codebase.dir };
    for (const key of Object.keys(codebase.loaded.manifest.exports ?? {}))
      exports[key] = this.#export(codebase, key);
    return exports;
  }

  #export(codebase: Codebase, key: string): string {
    const value = codebase.loaded.manifest.exports?.[key];
    if (value === undefined) throw new Error(`bug: ${codebase.name} exports no ${key}`);
    return typeof value === "string" ? this.field(codebase.name, ["exports", key]) : String(value);
  }

  /** What an `external:` requirement of a codebase exports (url, host, port, its extra keys). */
  externalExports(codebaseName: string, alias: string): Record<string, string> {
    return externalExports(this.#codebase(codebaseName), alias, (path) => this.field(codebaseName, path));
  }

  /** An interpolated string of the manifest at `path`. */
  field(codebaseName: string, path: YamlPath): string {
    const codebase = this.#codebase(codebaseName);
    const key = path.join("\0");
    const field = codebase.loaded.fields.find((candidate) => candidate.path.join("\0") === key);
    if (!field) throw new Error(`bug: no interpolated field ${path.join(".")} in ${codebaseName}`);
    return this.render(codebaseName, field.parts);
  }

  render(codebaseName: string, parts: readonly TemplatePart[]): string {
    return renderTemplate(parts, (ref) => this.#resolve(this.#codebase(codebaseName), ref));
  }

  #resolve(codebase: Codebase, ref: Reference): string {
    switch (ref.kind) {
      case "self":
        return ref.key === "dir" ? codebase.dir : this.#export(codebase, ref.key);
      case "secret": {
        if (!this.#bindings.secret) throw new Error("bug: secrets are not made here");
        return this.#bindings.secret(codebase.name, ref.name);
      }
      case "env": {
        const value = this.#bindings.hostEnv[ref.name];
        if (value === undefined) {
          throw new BerthError(
            "BERTH_ENV_UNSET",
            `\${env.${ref.name}} is used by ${codebase.name} but ${ref.name} is not set`,
            {
              hint: `set ${ref.name} in your environment (export ${ref.name}=...)`,
            },
          );
        }
        return value;
      }
      case "processes": {
        const port = this.#bindings.port(codebase.name, ref.process);
        if (port === undefined)
          throw new BerthError(
            "BERTH_VALUE_MISSING",
            `\${processes.${ref.process}.port} of ${codebase.name} has no value yet`,
            { hint: "an `auto` port is chosen by the first `berth up`; run it first" },
          );
        return String(port);
      }
      case "files": {
        if (!this.#bindings.filePath) throw new Error("bug: files are not rendered here");
        return this.#bindings.filePath(codebase.name, ref.name);
      }
      case "requires":
        return this.#requirement(codebase, ref.alias, ref.key);
    }
  }

  #requirement(codebase: Codebase, alias: string, key: string): string {
    const dependency = this.#workspace.dependencies.find(
      (entry) => entry.from === codebase.name && entry.alias === alias,
    );
    if (!dependency) throw new Error(`bug: ${codebase.name} has no requirement ${alias}`);
    let values: Record<string, string> | undefined;
    if (dependency.target.kind === "provider") {
      values = this.#bindings.providerExports?.(codebase.name, alias);
    } else if (dependency.target.kind === "external") {
      values = this.externalExports(codebase.name, alias);
    } else {
      const exports = this.exportsOf(dependency.target.name);
      values = key in exports ? exports : this.#bindings.claimOutputs?.(codebase.name, alias);
    }
    const value = values?.[key];
    if (value === undefined) {
      throw new BerthError(
        "BERTH_VALUE_MISSING",
        `\${requires.${alias}.${key}} of ${codebase.name} has no value yet`,
        {
          hint: "its claim has not run; `berth up` runs claims before the tasks and processes that need them",
        },
      );
    }
    return value;
  }

  #codebase(name: string): Codebase {
    const codebase = this.#workspace.codebases.get(name);
    if (!codebase) throw new Error(`bug: no codebase ${name}`);
    return codebase;
  }
}
