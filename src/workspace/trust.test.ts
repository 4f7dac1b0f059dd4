import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/temp.js";
import { userErrorsOf } from "../errors/index.js";
import { TrustStore } from "./trust.js";

const refusal = (action: () => void) => {
  try {
    action();
    return [];
  } catch (error) {
    return userErrorsOf(error).map((item) => [item.code, item.message, item.hint]);
  }
};

describe("the trust store", () => {
  it("refuses untrusted and changed manifests, naming the file and the command", () => {
    const store = new TrustStore(tempDir());
    const manifests = [
      { file: "/src/a/berth.yaml", hash: "1" },
      { file: "/src/b/berth.yaml", hash: "2" },
    ];
    store.trust([
      { file: "/src/a/berth.yaml", hash: "1" },
      { file: "/src/b/berth.yaml", hash: "old" },
    ]);
    expect(refusal(() => store.assertTrusted(manifests, false))).toEqual([
      [
        "BERTH_UNTRUSTED",
        "/src/b/berth.yaml changed since you trusted it; its commands will not run",
        "read it, then run `berth trust /src/b/berth.yaml` (or pass --trust in CI)",
      ],
    ]);
    expect(
      refusal(() => store.assertTrusted([{ file: "/src/c/berth.yaml", hash: "3" }], false))[0]?.[1],
    ).toBe("/src/c/berth.yaml is not trusted; its commands will not run");
    store.trust([{ file: "/src/b/berth.yaml", hash: "2" }]);
    expect(refusal(() => store.assertTrusted(manifests, false))).toEqual([]);
  });

  it("--trust (trustAll) accepts everything", () => {
    const store = new TrustStore(tempDir());
    expect(refusal(() => store.assertTrusted([{ file: "/x/berth.yaml", hash: "1" }], true))).toEqual([]);
  });
});
