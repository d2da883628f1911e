import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processRunner } from "./command-runner";
import { detectGpus, GpuMonitor, parseMigList, visibleDevices } from "./telemetry";

// A stand-in for nvidia-smi: the device query prints two GPUs; the -lms query loops forever
// (one line per GPU per tick) until it is stopped, like the real one.
const FAKE = `#!/bin/sh
case "$*" in
  *-lms*)
    i=0
    while true; do
      i=$((i + 1))
      echo "0, $((40 + (i % 2) * 20)), $((1000 + i))"
      echo "1, 90, 30000"
      sleep 0.05
    done
    ;;
  *)
    echo "0, NVIDIA H100 80GB HBM3, GPU-aaaa1111-2222, 81559, 580.159.04"
    echo "1, NVIDIA H100 80GB HBM3, GPU-bbbb3333-4444, 81559, 580.159.04"
    ;;
esac
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlci-gpu-"));
  await writeFile(join(dir, "nvidia-smi"), FAKE);
  await chmod(join(dir, "nvidia-smi"), 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runnerWithFake = () => processRunner({ PATH: `${dir}:/usr/bin:/bin` });

describe("GPU telemetry", () => {
  it("samples with one long-running nvidia-smi and summarises mean and peak per GPU", async () => {
    const monitor = await GpuMonitor.start({ runner: runnerWithFake(), intervalMs: 50 });
    await new Promise((r) => setTimeout(r, 600));
    const s = await monitor.stop();
    expect(s.available).toBe(true);
    expect(s.driverVersion).toBe("580.159.04");
    expect(s.devices.map((d) => [d.index, d.name, d.uuid, d.memoryTotalMiB])).toEqual([
      [0, "NVIDIA H100 80GB HBM3", "GPU-aaaa1111-2222", 81559],
      [1, "NVIDIA H100 80GB HBM3", "GPU-bbbb3333-4444", 81559],
    ]);
    const [g0, g1] = s.devices;
    expect(g0?.samples).toBeGreaterThan(3);
    expect(g0?.peakUtilization).toBe(60);
    expect(g0?.meanUtilization).toBeGreaterThanOrEqual(40);
    expect(g0?.meanUtilization).toBeLessThanOrEqual(60);
    expect(g0?.peakMemoryMiB).toBe(1000 + (g0?.samples ?? 0));
    expect(g1).toMatchObject({ meanUtilization: 90, peakUtilization: 90, peakMemoryMiB: 30000 });
  });

  it("respects CUDA_VISIBLE_DEVICES by index or UUID prefix", async () => {
    const monitor = await GpuMonitor.start({
      runner: runnerWithFake(),
      intervalMs: 50,
      cudaVisibleDevices: "GPU-bbbb",
    });
    await new Promise((r) => setTimeout(r, 200));
    const s = await monitor.stop();
    expect(s.devices.map((d) => d.index)).toEqual([1]);
    const devs = [
      { index: 0, name: "a", memoryTotalMiB: 1, uuid: "GPU-a" },
      { index: 1, name: "b", memoryTotalMiB: 1, uuid: "GPU-b" },
    ];
    expect(visibleDevices(devs, "1,0").map((d) => d.index)).toEqual([1, 0]);
    expect(visibleDevices(devs, "0,7,1").map((d) => d.index)).toEqual([0]);
    expect(visibleDevices(devs, "")).toEqual([]);
    const hidden = await detectGpus({ runner: runnerWithFake(), cudaVisibleDevices: "-1" });
    expect(hidden).toEqual({ available: false, reason: "CUDA_VISIBLE_DEVICES='-1' hides every GPU" });
  });

  it("reports no GPU without failing, unless a GPU is required", async () => {
    const runner = processRunner({ PATH: join(dir, "empty") });
    const monitor = await GpuMonitor.start({ runner });
    expect(await monitor.stop()).toEqual({
      available: false,
      reason: "nvidia-smi not found on PATH",
      devices: [],
    });
    await expect(GpuMonitor.start({ runner, requireGpu: true })).rejects.toThrow(/a GPU is required/);
    await writeFile(
      join(dir, "nvidia-smi"),
      "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.' >&2\nexit 9\n",
    );
    const broken = await detectGpus({ runner: runnerWithFake() });
    expect(broken).toEqual({
      available: false,
      reason:
        "nvidia-smi failed (exit code 9): NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.",
    });
  });

  it("takes a MIG instance in CUDA_VISIBLE_DEVICES for its GPU, from nvidia-smi -L", async () => {
    // An A100 split into two 1g.5gb instances and a whole H100; utilisation is [N/A] in MIG mode.
    await writeFile(
      join(dir, "nvidia-smi"),
      `#!/bin/sh
case "$*" in
  -L)
    echo "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77)"
    echo "  MIG 1g.5gb      Device  0: (UUID: MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f)"
    echo "  MIG 1g.5gb      Device  1: (UUID: MIG-c6d4aaaa-0000-5de3-91c7-45d71c87eb3f)"
    echo "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-bbbb3333-4444)"
    ;;
  *-lms*)
    while true; do echo "0, [N/A], 2100"; echo "1, 90, 30000"; sleep 0.05; done
    ;;
  *)
    echo "0, NVIDIA A100-SXM4-40GB, GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77, 40960, 580.159.04"
    echo "1, NVIDIA H100 80GB HBM3, GPU-bbbb3333-4444, 81559, 580.159.04"
    ;;
esac
`,
    );
    const monitor = await GpuMonitor.start({
      runner: runnerWithFake(),
      intervalMs: 50,
      cudaVisibleDevices: "MIG-c6d4f1ef",
      requireGpu: true,
    });
    await new Promise((r) => setTimeout(r, 200));
    const s = await monitor.stop();
    expect(s.available).toBe(true);
    expect(s.devices).toEqual([
      {
        index: 0,
        name: "NVIDIA A100-SXM4-40GB",
        uuid: "MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f",
        mig: "1g.5gb",
        memoryTotalMiB: 40960,
        driverVersion: "580.159.04",
        samples: 0,
        meanUtilization: 0,
        peakUtilization: 0,
        peakMemoryMiB: 0,
      },
    ]);
    // A prefix that two instances share names none, as CUDA has it; so does an unknown instance.
    for (const visible of ["MIG-c6d4", "MIG-ffff"]) {
      const det = await detectGpus({ runner: runnerWithFake(), cudaVisibleDevices: visible });
      expect(det).toEqual({ available: false, reason: `CUDA_VISIBLE_DEVICES='${visible}' hides every GPU` });
    }
    // Without MIG in CUDA_VISIBLE_DEVICES, nvidia-smi -L is not asked and GPUs are whole.
    const whole = await detectGpus({ runner: runnerWithFake(), cudaVisibleDevices: "1" });
    expect(whole.available && whole.devices.map((d) => [d.index, d.mig])).toEqual([[1, undefined]]);
  });

  it("reads MIG instances in the current and the older (MIG-GPU-…/gi/ci) UUID forms", () => {
    const text = [
      "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-11111111-2222-3333-4444-555555555555)",
      "  MIG 3g.40gb     Device  0: (UUID: MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee)",
      "GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-66666666-7777-8888-9999-000000000000)",
      "  MIG 7g.80gb Device 0: (UUID: MIG-GPU-66666666-7777-8888-9999-000000000000/1/0)",
      "",
    ].join("\n");
    expect(parseMigList(text)).toEqual([
      { gpuIndex: 0, profile: "3g.40gb", uuid: "MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" },
      { gpuIndex: 1, profile: "7g.80gb", uuid: "MIG-GPU-66666666-7777-8888-9999-000000000000/1/0" },
    ]);
    expect(parseMigList("GPU 0: NVIDIA L4 (UUID: GPU-1)\n")).toEqual([]);
  });
});
