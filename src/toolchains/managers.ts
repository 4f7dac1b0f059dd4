import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { Tool } from "./demands.js";

/** How to get a missing version: a version manager's command, or the official download page. */
export interface Fix {
  /** The manager that would install it; absent when none is on this machine. */
  manager?: string;
  /** What to tell the user: a command, or where to download from. */
  text: string;
  /** The command `berth doctor --fix` runs. */
  argv?: string[];
}

interface Manager {
  name: string;
  tools: readonly Tool[];
  /** The manager's executable, or undefined when it is not on this machine. */
  locate(env: NodeJS.ProcessEnv): string | undefined;
  command(tool: Tool, version: string): string;
}

const DOWNLOAD: Record<Tool, string> = {
  node: "https://nodejs.org/en/download",
  python: "https://www.python.org/downloads/",
};

const onPath = (name: string, extra: (home: string) => string[] = () => []) => {
  return (env: NodeJS.ProcessEnv) => {
    const home = env.HOME ?? homedir();
    const folders = [...(env.PATH ?? "").split(delimiter).filter(Boolean), ...extra(home)];
    return folders.map((folder) => join(folder, name)).find((file) => existsSync(file));
  };
};

/** In the order their fix is offered: the managers that serve both tools first. */
const MANAGERS: readonly Manager[] = [
  {
    name: "mise",
    tools: ["node", "python"],
    locate: onPath("mise", (home) => [join(home, ".local", "bin")]),
    command: (tool, version) => `mise install ${tool}@${version}`,
  },
  {
    name: "uv",
    tools: ["python"],
    locate: onPath("uv", (home) => [join(home, ".local", "bin"), join(home, ".cargo", "bin")]),
    command: (_tool, version) => `uv python install ${version}`,
  },
  {
    name: "asdf",
    tools: ["node", "python"],
    locate: onPath("asdf", (home) => [join(home, ".asdf", "bin")]),
    command: (tool, version) => `asdf install ${tool === "node" ? "nodejs" : tool} latest:${version}`,
  },
  {
    name: "nvm",
    tools: ["node"],
    // nvm is a shell function: its script is what is found, and a shell runs it.
    locate: (env) => {
      const script = join(env.NVM_DIR ?? join(env.HOME ?? homedir(), ".nvm"), "nvm.sh");
      return existsSync(script) ? script : undefined;
    },
    command: (_tool, version) => `nvm install ${version}`,
  },
  {
    name: "fnm",
    tools: ["node"],
    locate: onPath("fnm", (home) => [join(home, ".local", "share", "fnm")]),
    command: (_tool, version) => `fnm install ${version}`,
  },
  {
    name: "volta",
    tools: ["node"],
    locate: onPath("volta", (home) => [join(home, ".volta", "bin")]),
    command: (_tool, version) => `volta install node@${version}`,
  },
  {
    name: "pyenv",
    tools: ["python"],
    locate: onPath("pyenv", (home) => [join(home, ".pyenv", "bin")]),
    command: (_tool, version) => `pyenv install ${version}`,
  },
];

/** The fix for a missing version: the first version manager on this machine that installs that tool. */
export function fixFor(tool: Tool, version: string | undefined, env: NodeJS.ProcessEnv): Fix {
  const download = { text: `download ${tool === "node" ? "Node.js" : "Python"} from ${DOWNLOAD[tool]}` };
  if (version === undefined) return download;
  for (const manager of MANAGERS) {
    if (!manager.tools.includes(tool)) continue;
    const executable = manager.locate(env);
    if (executable === undefined) continue;
    const text = manager.command(tool, version);
    const argv =
      manager.name === "nvm"
        ? ["bash", "-c", `. "${executable}" && ${text}`]
        : [executable, ...text.split(" ").slice(1)];
    return { manager: manager.name, text, argv };
  }
  return download;
}
