import { berthHome } from "../../state/index.js";

/** What every library call needs to find a workspace and the user's state. */
export interface WorkspaceOptions {
  /** The root codebase's folder (or its manifest). */
  root: string;
  /** `$BERTH_HOME`; defaults from the environment. */
  home?: string;
}

export function homeOf(options: WorkspaceOptions): string {
  return options.home ?? berthHome();
}
