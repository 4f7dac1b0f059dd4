import { BerthError } from "../errors/index.js";
import type { ProviderKind } from "../manifest/index.js";
import { memcached } from "./memcached.js";
import { mysql } from "./mysql/index.js";
import { postgres } from "./postgres/index.js";
import { redis } from "./redis/index.js";
import type { Installation, Provider } from "./types.js";
import { compare, satisfies } from "./versions.js";

export const PROVIDER_IMPLEMENTATIONS: Record<ProviderKind, Provider> = { postgres, mysql, redis, memcached };

const found = new Map<ProviderKind, { at: number; installations: Installation[] }>();

/** What is installed, asked again at most once a minute: finding runs `--version` of each binary. */
function installationsOf(provider: Provider): Installation[] {
  const known = found.get(provider.kind);
  if (known && Date.now() - known.at < 60_000) return known.installations;
  const installations = provider.find();
  found.set(provider.kind, { at: Date.now(), installations });
  return installations;
}

/** The installation to run for a requirement: the newest that satisfies its version, host's before npm's. */
export function chooseInstallation(kind: ProviderKind, version: string | undefined): Installation {
  const provider = PROVIDER_IMPLEMENTATIONS[kind];
  const all = installationsOf(provider);
  const matching = all
    .filter((installation) => satisfies(installation.version, version))
    .sort(
      (a, b) =>
        Number(a.source.startsWith("npm")) - Number(b.source.startsWith("npm")) ||
        compare(b.version, a.version),
    );
  const chosen = matching[0];
  if (chosen) return chosen;
  const have = all.map((installation) => `${installation.version} (${installation.source})`).join(", ");
  throw new BerthError(
    "BERTH_PROVIDER_MISSING",
    all.length === 0
      ? `no ${kind} server is installed on this machine`
      : `no installed ${kind} server satisfies version ${version}; found ${have}`,
    {
      hint:
        (all.length > 0
          ? `change \`version:\` to one the installed servers satisfy (installed: ${all.map((installation) => installation.version).join(", ")}), or install a matching one: `
          : "install it: ") +
        `apt-get install ${provider.packages.debian} (Debian/Ubuntu) or brew install ${provider.packages.homebrew} (macOS)`,
    },
  );
}
