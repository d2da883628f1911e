import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitEnv } from "../helpers/git-repo";

/**
 * `npm run demo` end to end (scripts/demo.mjs, the bundled CLI), in a new network namespace when
 * this machine allows one (`unshare -rn`, as root or with unprivileged user namespaces), and its
 * HTML preview opened in headless Chromium (Debian's package; .ci/run installs it).
 */

const root = join(import.meta.dirname, "..", "..");
// MLCI_CHROMIUM points at another Chromium build (e.g. Chrome on GitHub's Ubuntu runners).
const CHROMIUM = process.env.MLCI_CHROMIUM ?? "/usr/bin/chromium";
const offline = spawnSync("unshare", ["-rn", "true"]).status === 0;
const dir = join(mkdtempSync(join(tmpdir(), "mlci-demo-test-")), "demo");
let run: { code: number; out: string; ms: number };

beforeAll(() => {
  const argv = [process.execPath, join(root, "scripts", "demo.mjs")];
  const [cmd, ...args] = offline ? ["unshare", "-rn", ...argv] : argv;
  const t = Date.now();
  const res = spawnSync(cmd as string, args, {
    cwd: root,
    env: { ...process.env, MLCI_DEMO_DIR: dir },
    encoding: "utf8",
    timeout: 120_000,
  });
  run = { code: res.status ?? 1, out: `${res.stdout}${res.stderr}`, ms: Date.now() - t };
}, 130_000);

afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

describe(`npm run demo (${offline ? "with the network cut: unshare -rn" : "network NOT cut: `unshare -rn` is not permitted on this machine"})`, () => {
  it("runs the whole loop, in order, with timings, in under a minute", () => {
    expect(run.code, run.out).toBe(0);
    const steps = [
      "Set up main",
      "1. Validate the data",
      "Data check passed",
      "2. Train (mlci repro)",
      "3. Report against main",
      "🟢 10 improved",
      "4. Gate (mlci gate --base main)",
      "Gate passed: 2 rules",
      "5. Merge into main and push to the remote",
      "6. Register the model",
      "Created tag penguins-classifier@v0.0.1",
      "7. Deploy: assign the prod stage",
      "Created tag penguins-classifier#prod#1",
      "8. Scheduled retraining check",
      "No retraining: no drift: 0 of 7 columns drifted",
      "9. Train (mlci repro)",
      "param params.yaml:train.epochs changed: 150 -> 2",
      "10. Gate (mlci gate --base main): REFUSED",
      "Gate failed: 2 of 2 rules",
      "metrics.json:eval.accuracy 0.8806 is below the minimum 0.9",
      "The gate refused the change (exit 1): it cannot be merged or deployed.",
    ];
    let at = 0;
    for (const s of steps) {
      const i = run.out.indexOf(s, at);
      expect(i, `"${s}" after offset ${at} in:\n${run.out}`).toBeGreaterThanOrEqual(0);
      at = i + s.length;
    }
    expect(run.out.match(/^ {2}✓ \d+\.\d s$/gm)).toHaveLength(11);
    const total = Number(/Done in (\d+\.\d) s/.exec(run.out)?.[1]);
    expect(total).toBeLessThan(60);
    expect(run.ms).toBeLessThan(60_000);
    expect(run.out).toContain(`markdown  ${join(dir, "penguins", "report.md")}`);
    expect(run.out).toContain(`preview   ${join(dir, "report.html")}`);
  });

  it("leaves the bare remote with the merged main and the registry tags, and not the refused branch", () => {
    const git = (...args: string[]) =>
      spawnSync("git", ["--git-dir", join(dir, "remote.git"), ...args], { env: gitEnv(), encoding: "utf8" })
        .stdout;
    expect(git("tag").split("\n").filter(Boolean).sort()).toEqual([
      "penguins-classifier#prod#1",
      "penguins-classifier@v0.0.1",
    ]);
    expect(git("branch", "--format=%(refname:short)").trim()).toBe("main");
    expect(git("log", "-1", "--format=%s", "main").trim()).toBe("Merge pull request: train for 150 epochs");
    expect(git("rev-parse", "penguins-classifier@v0.0.1^{commit}")).toBe(git("rev-parse", "main"));
    expect(git("show", "main:.mlci/gates.yml")).toContain("max_drop");
    expect(git("show", "main:mlci-profile.json")).toContain('"kind":"mlci-profile"');
  });
});

/** Pixels of a PNG as RGBA (8-bit, non-interlaced: what Chromium writes). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colour, , , interlace] = [png[24], png[25], png[26], png[27], png[28]];
  if (depth !== 8 || (colour !== 6 && colour !== 2) || interlace !== 0)
    throw new Error("unexpected PNG format");
  const channels = colour === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o);
    if (png.toString("latin1", o + 4, o + 8) === "IDAT") idat.push(png.subarray(o + 8, o + 8 + len));
    o += len + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (line[x - channels] as number) : 0;
      const b = prev[x] as number;
      const c = x >= channels ? (prev[x - channels] as number) : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor =
        [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter as number] ?? 0;
      line[x] = ((line[x] as number) + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      line.copy(out, (y * width + x) * 4, x * channels, x * channels + 3);
      out[(y * width + x) * 4 + 3] = channels === 4 ? (line[x * channels + 3] as number) : 255;
    }
    prev = line;
  }
  return { width, height, rgba: out };
}

function chromium(args: string[]): { code: number; stdout: string } {
  const profile = mkdtempSync(join(tmpdir(), "mlci-chromium-"));
  try {
    const flags = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ];
    const [cmd, ...rest] = offline
      ? ["unshare", "-rn", CHROMIUM, ...flags, ...args]
      : [CHROMIUM, ...flags, ...args];
    const res = spawnSync(cmd as string, rest, {
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: res.status ?? 1, stdout: res.stdout };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe("the HTML preview of the pull request comment, in headless Chromium", () => {
  const html = join(dir, "report.html");

  it("needs Debian's chromium (installed by .ci/run)", () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium); on a development machine run \`apt-get update && apt-get install -y chromium\``,
    ).toBe(true);
  });

  it("shows the metrics table and the charts as SVG lines (DOM as Chromium parsed it)", () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs it`).toBe(true);
    const dom = chromium(["--dump-dom", `file://${html}`]);
    expect(dom.code).toBe(0);
    const tables = dom.stdout.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    const metrics = tables.find((t) => t.includes("<th") && />Metric</.test(t));
    expect(metrics, dom.stdout.slice(0, 2000)).toBeDefined();
    expect(metrics).toMatch(
      /<tr><td[^>]*><code>eval\.accuracy<\/code><\/td><td[^>]*>0\.98508<\/td><td[^>]*>1<\/td>/,
    );
    expect(metrics).toContain("<code>eval.log_loss</code>");
    const svgs = dom.stdout.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      const lines = svg.match(/<polyline [^>]*points="([^"]+)"/g) ?? [];
      expect(lines).toHaveLength(2);
      for (const l of lines)
        expect(l.split(" ").filter((p) => /^\d+(\.\d+)?,\d+(\.\d+)?"?$/.test(p)).length).toBeGreaterThan(40);
    }
    expect(dom.stdout).toContain("Training curve: loss");
    expect(dom.stdout).toContain('<details class="mermaid-source">');
    expect(dom.stdout).not.toMatch(/<script/i);
  });

  it("draws the chart lines (pixels of both line colours in a screenshot)", () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs it`).toBe(true);
    const png = join(dir, "report.png");
    const shot = chromium([`--screenshot=${png}`, "--window-size=1000,2600", `file://${html}`]);
    expect(shot.code).toBe(0);
    const { width, height, rgba } = decodePng(readFileSync(png));
    expect([width, height]).toEqual([1000, 2600]);
    const count = (r: number, g: number, b: number) => {
      let n = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (
          Math.abs((rgba[i] as number) - r) +
            Math.abs((rgba[i + 1] as number) - g) +
            Math.abs((rgba[i + 2] as number) - b) <
          40
        )
          n++;
      }
      return n;
    };
    expect(count(0x1f, 0x88, 0x3d)).toBeGreaterThan(500); // line 2 (head), green
    expect(count(0x82, 0x50, 0xdf)).toBeGreaterThan(300); // line 1 (base), purple
  });
});
