import { resolve } from "node:path";
import { BerthError } from "../errors/index.js";
import type { Codebase } from "../workspace/index.js";
import type { ContainerModel } from "./model.js";

/** What a codebase runs in on another engine; a codebase with processes needs exactly one of image, build. */
export function containerOf(codebase: Codebase): ContainerModel | BerthError {
  const { manifest, source } = codebase.loaded;
  const container = manifest.container;
  const resources = container?.resources;
  const model: ContainerModel = {
    ...(container?.image ? { image: container.image } : {}),
    ...(container?.build ? { build: resolve(codebase.dir, container.build) } : {}),
    ...(resources && (resources.cpu || resources.memory) ? { resources: { ...resources } } : {}),
  };
  const runsSomething =
    Object.keys(manifest.processes ?? {}).length > 0 || Object.keys(manifest.tasks ?? {}).length > 0;
  if (container?.image && container.build) {
    return new BerthError(
      "BERTH_NO_CONTAINER",
      `${codebase.name} gives both container.image and container.build`,
      {
        location: source.locate(["container", "build"], { key: true }),
        hint: "keep one: `image` to run a published image, `build` to build the Dockerfile context",
      },
    );
  }
  if (runsSomething && !container?.image && !container?.build) {
    return new BerthError(
      "BERTH_NO_CONTAINER",
      `${codebase.name} has processes or tasks but no container to run them in: add \`container: { build: . }\` (a Dockerfile context) or \`container: { image: <image> }\``,
      {
        location: source.locate(container ? ["container"] : ["name"], { key: true }),
        hint: `add to ${codebase.loaded.file}:\n  container:\n    build: .          # a folder with a Dockerfile, relative to the manifest\n  or \`image: registry.example.org/${codebase.name}:tag\``,
      },
    );
  }
  return model;
}
