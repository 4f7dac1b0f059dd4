import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BerthError } from "../errors/index.js";
import { MANIFEST_FILE, parseYaml } from "../manifest/index.js";
import { detect } from "./detect.js";
import { renderDraft } from "./render.js";

export interface InitResult {
  file: string;
  name: string;
  detected: string[];
}

/** `berth init`: writes a commented berth.yaml for a folder, detecting its stack; never overwrites one. */
export function init(options: { dir: string; from?: string }): InitResult {
  const dir = resolve(options.dir);
  const file = join(dir, MANIFEST_FILE);
  let draft: ReturnType<typeof detect>;
  try {
    draft = detect(dir, options.from);
  } catch (error) {
    throw new BerthError(
      "BERTH_INIT_DETECT",
      `cannot read ${options.from ?? "the project files"}: ${(error as Error).message}`,
      {
        hint: "fix that file, or pass --from with another one",
        cause: error,
      },
    );
  }
  const text = renderDraft(draft);
  parseYaml(file, text);
  try {
    writeFileSync(file, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new BerthError("BERTH_INIT_EXISTS", `${file} already exists; berth init never overwrites it`, {
        hint: "edit it, or move it away first and run `berth init` again",
      });
    }
    throw error;
  }
  return { file, name: draft.name, detected: draft.detected };
}

export {
  type ImportOptions,
  type ImportReport,
  type ImportResult,
  importFile,
  type ServiceReport,
} from "./import.js";
