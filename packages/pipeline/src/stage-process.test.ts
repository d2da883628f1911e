import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openProject } from "./project";
import { runPipeline } from "./runner";
import { runStageProcess } from "./stage-process";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-stage-process-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Aborts `controller` with `reason` once `text` has appeared in the output. */
function abortWhen(controller: AbortController, text: string, reason: string) {
  let seen = "";
  return (_stream: "stdout" | "stderr", chunk: string) => {
    seen += chunk;
    if (seen.includes(text) && !controller.signal.aborted) controller.abort(reason);
  };
}

/** Whether a process is still alive (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync("/proc/self/stat")) {
    if (!existsSync(stat)) return false;
    return readFileSync(stat, "utf8").split(") ")[1]?.[0] !== "Z";
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("runStageProcess", () => {
  it("streams the output and gives the exit code", async () => {
    const out: string[] = [];
    const r = await runStageProcess("echo one; echo two >&2; exit 3", {
      cwd: dir,
      onOutput: (stream, chunk) => out.push(`${stream}:${chunk}`),
    });
    expect(r).toEqual({ code: 3, signal: null });
    expect(out.join("")).toContain("stdout:one\n");
    expect(out.join("")).toContain("stderr:two\n");
  });

  it("on cancel, sends the signal to the whole group, as Ctrl-C would, so the command can stop cleanly", async () => {
    const controller = new AbortController();
    let output = "";
    const onOutput = abortWhen(controller, "started", "SIGINT");
    // The trap is in a child of the shell: the group, not only the shell, must get the signal.
    const r = await runStageProcess(
      `sh -c 'trap "echo saved a checkpoint; exit 130" INT; echo started; while :; do sleep 0.05; done' && echo not reached`,
      {
        cwd: dir,
        signal: controller.signal,
        onOutput: (stream, chunk) => {
          output += chunk;
          onOutput(stream, chunk);
        },
      },
    );
    expect(r.cancelledBy).toBe("SIGINT");
    expect(output).toContain("saved a checkpoint");
    expect(output).not.toContain("not reached");
  });

  it("kills what does not stop within the grace period, children included", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const r = await runStageProcess(
      `trap "" INT TERM; sleep 30 & echo $! > sleeper.pid; echo started; wait; wait`,
      {
        cwd: dir,
        signal: controller.signal,
        graceMs: 300,
        onOutput: abortWhen(controller, "started", "SIGTERM"),
      },
    );
    expect(r.cancelledBy).toBe("SIGTERM");
    expect(r.signal).toBe("SIGKILL");
    expect(Date.now() - started).toBeLessThan(10_000);
    const sleeper = Number(readFileSync(join(dir, "sleeper.pid"), "utf8"));
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(sleeper)).toBe(false);
  });

  it("in a terminal's group (group: false), signals the shell itself", async () => {
    const controller = new AbortController();
    let output = "";
    const onOutput = abortWhen(controller, "started", "SIGINT");
    const r = await runStageProcess(
      `trap "echo stopped; exit 130" INT; echo started; while :; do sleep 0.05; done`,
      {
        cwd: dir,
        group: false,
        signal: controller.signal,
        onOutput: (stream, chunk) => {
          output += chunk;
          onOutput(stream, chunk);
        },
      },
    );
    expect(r).toMatchObject({ code: 130, cancelledBy: "SIGINT" });
    expect(output).toContain("stopped");
  });

  it("does not start when the run is cancelled already", async () => {
    const controller = new AbortController();
    controller.abort("SIGHUP");
    const r = await runStageProcess("touch ran", { cwd: dir, signal: controller.signal });
    expect(r.cancelledBy).toBe("SIGHUP");
    expect(existsSync(join(dir, "ran"))).toBe(false);
  });
});

describe("a cancelled pipeline run", () => {
  it("stops the running stage, starts no other, keeps finished stages in dvc.lock and says why", async () => {
    writeFileSync(join(dir, "raw.txt"), "data\n");
    writeFileSync(
      join(dir, "dvc.yaml"),
      `stages:
  prepare:
    cmd: cp raw.txt prepared.txt
    deps: [raw.txt]
    outs: [prepared.txt]
  train:
    cmd: sh -c 'trap "echo stopping; exit 130" INT; echo training; while :; do sleep 0.05; done'
    deps: [prepared.txt]
    outs: [model.bin]
  other:
    cmd: touch other.txt
    deps: [raw.txt]
    outs: [other.txt]
`,
    );
    const project = await openProject({ root: dir });
    const controller = new AbortController();
    const onOutput = abortWhen(controller, "training", "SIGINT");
    const result = await runPipeline(project, {
      signal: controller.signal,
      onOutput: (_stage, stream, chunk) => onOutput(stream, chunk),
    });
    expect(result.success).toBe(false);
    expect(result.cancelled).toBe("SIGINT");
    expect(result.failed).toBe("train");
    expect(result.stages.map((s) => [s.name, s.status, s.reason])).toEqual([
      ["prepare", "ran", "never ran (no entry in dvc.lock)"],
      ["train", "failed", "cancelled (SIGINT)"],
      ["other", "blocked", "not run: the run was cancelled (SIGINT)"],
    ]);
    expect(result.stages[1]?.logTail).toContain("stopping");
    expect(existsSync(join(dir, "other.txt"))).toBe(false);
    const lock = readFileSync(join(dir, "dvc.lock"), "utf8");
    expect(lock).toContain("prepare:");
    expect(lock).not.toContain("train:");
  });
});
