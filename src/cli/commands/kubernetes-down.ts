import pc from "picocolors";
import { type GlobalOptions, print, printJson } from "../io.js";

/** `berth down --context`: deletes what `berth deploy` applied there; the volumes only with --volumes --yes. */
export async function runKubernetesDown(
  options: GlobalOptions,
  command: {
    context: string;
    namespace?: string | undefined;
    volumes?: boolean | undefined;
    yes?: boolean | undefined;
  },
): Promise<void> {
  const { downKubernetes } = await import("../../api/deploy.js");
  const result = await downKubernetes({
    root: options.cwd,
    context: command.context,
    ...(command.namespace ? { namespace: command.namespace } : {}),
    volumes: command.volumes ?? false,
    yes: command.yes ?? false,
  });
  if (options.json) return printJson(result);
  for (const name of result.deleted) print(`${pc.yellow("deleted")} ${name}`);
  print(
    `${pc.green("✓")} deleted what berth deploy applied to ${result.context}${command.volumes ? ", volumes included" : "; volumes kept (--volumes --yes deletes them)"}`,
  );
}
