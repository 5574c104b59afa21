// What each GPU reads, one simulated step (5 s) at a time: training near 95% busy with most of
// the framebuffer used; inference following its service's request load; idle GPUs at P8 clocks;
// allocated-but-idle GPUs holding a model in memory doing nothing; one hot GPU per fleet (the seed
// picks it) running ~20 °C warmer and clock-throttled; XID faults from scenarios. Counters (energy,
// NVLink, PCIe replays, remapped rows) integrate over simulated time and persist per GPU UUID.
import { FIELD, FIELD_COUNT } from './dcgm-catalog.js';
import type { FaultRegistry } from './faults.js';
import type { Gpu, GpuNode } from './gpu-inventory.js';
import { mix, noise } from './noise.js';

export const GPU_STEP_MS = 5_000;

export interface GpuCounters {
  energyMj: number;
  pcieReplays: number;
  nvlink: number;
  uncorrectableRows: number;
  correctableRows: number;
}

/** Load 0–1 of an inference service's GPUs (requests per pod over its capacity). */
export type ServiceLoad = (namespace: string, service: string) => number;

export class GpuModel {
  private readonly counters = new Map<string, GpuCounters>();

  constructor(
    private readonly seed: number,
    private readonly faults: FaultRegistry,
    private readonly load: ServiceLoad,
  ) {}

  /** The fleet's hot GPU: the one whose UUID hashes lowest for this seed (stable as pods move). */
  hotGpu(nodes: readonly GpuNode[]): Gpu | undefined {
    let best: Gpu | undefined;
    let bestScore = Infinity;
    for (const node of nodes) {
      for (const gpu of node.gpus) {
        const score = mix(this.seed ^ 0x5bd1e995, gpu.entity);
        if (score < bestScore) {
          bestScore = score;
          best = gpu;
        }
      }
    }
    return best;
  }

  /**
   * The fleet's allocated-but-idle GPU: an inference replica holding its model in memory with no
   * traffic routed to it (the seed picks it among inference GPUs, plus ~1 in 16 more).
   */
  parkedGpu(nodes: readonly GpuNode[]): Gpu | undefined {
    let best: Gpu | undefined;
    let bestScore = Infinity;
    for (const node of nodes) {
      for (const gpu of node.gpus) {
        if (gpu.holder?.kind !== 'inference') continue;
        const score = mix(this.seed ^ 0x2545f491, gpu.entity);
        if (score < bestScore) {
          bestScore = score;
          best = gpu;
        }
      }
    }
    return best;
  }

  private countersOf(gpu: Gpu): GpuCounters {
    let c = this.counters.get(gpu.uuid);
    if (!c) {
      // A GPU has been up for a few days when the demo starts: energy starts well above zero.
      const uptimeS = 86_400 * (2 + noise(this.seed, gpu.entity, 99, 0) * 5);
      c = { energyMj: Math.round(uptimeS * gpu.spec.maxPowerW * 0.45 * 1000), pcieReplays: 0, nvlink: 0, uncorrectableRows: 0, correctableRows: 0 };
      this.counters.set(gpu.uuid, c);
    }
    return c;
  }

  /** Fills `out` (FIELD_COUNT values) for `gpu` at `step`, advancing counters by `dtMs`. */
  compute(gpu: Gpu, step: number, dtMs: number, hot: boolean, out: Float64Array, parkedPick = false): void {
    const n = (field: number) => noise(this.seed, gpu.entity, field, step);
    const spec = gpu.spec;
    const holder = gpu.holder;
    const parked = !!holder && holder.kind !== 'training' && (parkedPick || mix(this.seed, gpu.entity) % 16 === 0);
    const xid = this.faults.xidOf(gpu.node, gpu.index);
    const isHot = hot || this.faults.isHot(gpu.node, gpu.index);

    let util = 0;
    let memFrac = 0;
    let tensor = 0;
    let dram = 0;
    let pcie = 2e5 * n(30);
    if (holder && !holder.idle && !parked) {
      if (holder.kind === 'training') {
        util = 92 + n(1) * 7;
        memFrac = 0.86 + n(2) * 0.08;
        tensor = 0.48 + n(3) * 0.14;
        dram = 0.38 + n(4) * 0.12;
        pcie = 4e8 + n(30) * 2e8;
      } else if (holder.kind === 'inference') {
        const load = Math.max(0, Math.min(1, this.load(holder.namespace, holder.service)));
        util = Math.min(100, load * 88 + n(1) * 10);
        memFrac = 0.55 + load * 0.3 + n(2) * 0.03;
        tensor = (util / 100) * (0.35 + n(3) * 0.1);
        dram = (util / 100) * (0.45 + n(4) * 0.1);
        pcie = load * 3e8 + n(30) * 5e7;
      } else {
        util = 45 + n(1) * 30;
        memFrac = 0.4 + n(2) * 0.2;
        tensor = (util / 100) * 0.3;
        dram = (util / 100) * 0.4;
        pcie = 1e8 + n(30) * 1e8;
      }
    } else if (holder) {
      // Allocated, nothing running on it: a model or a CUDA context sits in memory.
      util = n(1) < 0.2 ? 1 : 0;
      memFrac = holder.idle ? 0.02 + n(2) * 0.01 : 0.45 + n(2) * 0.02;
    }
    if (xid === 79) {
      // "GPU has fallen off the bus": nothing runs, clocks and power read idle.
      util = 0;
      tensor = 0;
      dram = 0;
    }
    util = Math.round(util);
    const reserved = Math.round(spec.memoryMiB * 0.0069);
    const used = Math.round((spec.memoryMiB - reserved) * memFrac);
    const power = spec.idlePowerW + (spec.maxPowerW - spec.idlePowerW) * (util / 100) * (0.82 + n(5) * 0.12) + n(6) * 3;
    let temp = 31 + util * 0.42 + n(7) * 3;
    // A failing fan or dried thermal paste: hot even when lightly loaded, hotter under load.
    if (isHot) temp = Math.max(temp + 21, 87 + n(8) * 3);
    const smClock = util === 0 ? 210 : isHot ? Math.round(spec.smClockMax * 0.72) : spec.smClockMax - (n(9) < 0.3 ? 15 : 0);

    const c = this.countersOf(gpu);
    c.energyMj += Math.round(power * dtMs);
    if (holder?.kind === 'training' && util > 0) c.nvlink += Math.round(dtMs * 2.4e5 * (0.8 + n(10) * 0.4));
    if (xid === 48) c.uncorrectableRows += n(11) < 0.2 ? 1 : 0;
    if (xid !== 0 && n(12) < 0.5) c.pcieReplays += 1 + Math.floor(n(13) * 3);

    out[FIELD.DCGM_FI_DEV_SM_CLOCK] = smClock;
    out[FIELD.DCGM_FI_DEV_MEM_CLOCK] = util === 0 && !holder ? 405 : spec.memClock;
    out[FIELD.DCGM_FI_DEV_MEMORY_TEMP] = Math.round(temp + 4 + n(14) * 2);
    out[FIELD.DCGM_FI_DEV_GPU_TEMP] = Math.round(temp);
    out[FIELD.DCGM_FI_DEV_POWER_USAGE] = Math.round(power * 1000) / 1000;
    out[FIELD.DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION] = c.energyMj;
    out[FIELD.DCGM_FI_DEV_PCIE_REPLAY_COUNTER] = c.pcieReplays;
    out[FIELD.DCGM_FI_DEV_GPU_UTIL] = util;
    out[FIELD.DCGM_FI_DEV_MEM_COPY_UTIL] = Math.round(dram * 100 * 0.8);
    out[FIELD.DCGM_FI_DEV_ENC_UTIL] = 0;
    out[FIELD.DCGM_FI_DEV_DEC_UTIL] = 0;
    out[FIELD.DCGM_FI_DEV_XID_ERRORS] = xid;
    out[FIELD.DCGM_FI_DEV_FB_FREE] = spec.memoryMiB - reserved - used;
    out[FIELD.DCGM_FI_DEV_FB_USED] = used;
    out[FIELD.DCGM_FI_DEV_FB_RESERVED] = reserved;
    out[FIELD.DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL] = c.nvlink;
    out[FIELD.DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS] = c.uncorrectableRows;
    out[FIELD.DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS] = c.correctableRows;
    out[FIELD.DCGM_FI_DEV_ROW_REMAP_FAILURE] = 0;
    out[FIELD.DCGM_FI_PROF_GR_ENGINE_ACTIVE] = Math.round((util / 100) * (0.96 + n(15) * 0.03) * 1e6) / 1e6;
    out[FIELD.DCGM_FI_PROF_PIPE_TENSOR_ACTIVE] = Math.round(tensor * 1e6) / 1e6;
    out[FIELD.DCGM_FI_PROF_DRAM_ACTIVE] = Math.round(dram * 1e6) / 1e6;
    out[FIELD.DCGM_FI_PROF_PCIE_TX_BYTES] = Math.round(pcie * 0.4);
    out[FIELD.DCGM_FI_PROF_PCIE_RX_BYTES] = Math.round(pcie);
  }

  /** Forgets counters of GPUs that no longer exist (nodes deleted). */
  retain(uuids: ReadonlySet<string>): void {
    for (const key of this.counters.keys()) if (!uuids.has(key)) this.counters.delete(key);
  }
}

export const EMPTY_ROW = () => new Float64Array(FIELD_COUNT);
