// The DCGM exporter of every simulated GPU node. Values advance once per simulated 5 s step (the
// cadence of a real exporter's collection loop); the exposition text is rendered at most once per
// step per view and then served from cache, so a 1,000-node fleet's scrape costs one string build
// per step. A node whose Ready condition is not True, or whose exporter a scenario took down,
// answers 503 on its own path and drops out of the fleet-wide page: its series vanish.
// Like current dcgm-exporter releases, the XID gauge carries `err_code`/`err_msg` labels and
// DCGM_EXP_XID_ERRORS_COUNT counts each GPU's XIDs in a 5 min window (label `xid`; one 0-valued
// series without it when there is none); each GPU also reports its slowdown/shutdown temperatures.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ObjectStore } from '../store.js';
import { thermalLimits } from '../../../shared/model/gpu-thermal.js';
import { xidText } from '../../../shared/model/gpu-xid.js';
import { DCGM_FAMILIES, FIELD, FIELD_COUNT, FLOAT_FIELDS } from './dcgm-catalog.js';
import { escapeLabel, header } from './exposition.js';
import type { FaultRegistry } from './faults.js';
import { GpuInventory, type Gpu, type GpuNode } from './gpu-inventory.js';
import { GPU_STEP_MS, GpuModel, type ServiceLoad } from './gpu-model.js';

const gzipAsync = promisify(gzip);

/** At most this much simulated time is integrated in one step after a long gap. */
const MAX_CATCH_UP_MS = 60 * GPU_STEP_MS;

/** dcgm-exporter's --xid-count-window-size default (5 min), in simulated steps. */
const XID_WINDOW_STEPS = 300_000 / GPU_STEP_MS;

/** A GPU's XID as the page shows it: the code, and how many XIDs the count window holds. */
interface XidState {
  code: number;
  inWindow: number;
}

export class DcgmExporter {
  private nodes: readonly GpuNode[] = [];
  private gpus: Gpu[] = [];
  private values: Float64Array[] = [];
  private readonly model: GpuModel;
  private readonly inventoryIndex: GpuInventory;
  private step = -1;
  private faultVersion = -1;
  private fleetText: Buffer | undefined;
  private fleetGzip: Promise<Buffer> | undefined;
  /** One background compression at a time: on a starved CPU they would pile up otherwise. */
  private gzipInFlight: Promise<Buffer> | undefined;
  private fleetAskedAt = -Infinity;
  private readonly nodeText = new Map<string, Buffer>();
  /** Per GPU UUID: its current XID code and the step it was raised at. */
  private readonly xidSince = new Map<string, { code: number; step: number }>();

  constructor(
    store: ObjectStore,
    seed: number,
    private readonly faults: FaultRegistry,
    load: ServiceLoad,
  ) {
    this.model = new GpuModel(seed, faults, load);
    this.inventoryIndex = new GpuInventory(store, seed);
  }

  close(): void {
    this.inventoryIndex.close();
  }

  /** GPU nodes in name order, with readiness as the exporter sees it. */
  inventory(now: number): readonly GpuNode[] {
    this.refresh(now);
    return this.nodes;
  }

  gpuCount(now: number): number {
    this.refresh(now);
    return this.gpus.length;
  }

  /** Brings values up to the simulated step containing `now`. */
  refresh(now: number): void {
    // Simulated time never runs backwards; a caller with an older `now` sees the current step.
    const step = Math.max(this.step, Math.floor(now / GPU_STEP_MS));
    // Pods change status all the time; only a change in who holds which GPU, or in node
    // readiness, invalidates the computed step.
    const { nodes, changed: rebuilt } = this.inventoryIndex.take();
    if (rebuilt) {
      this.nodes = nodes;
      this.gpus = this.nodes.flatMap((n) => n.gpus);
      this.values = this.gpus.map(() => new Float64Array(FIELD_COUNT));
      this.model.retain(new Set(this.gpus.map((g) => g.uuid)));
    }
    const faultsChanged = this.faults.version !== this.faultVersion;
    if (step === this.step && !rebuilt && !faultsChanged) return;
    // Only a new step advances counters; a rebuild or a fault recomputes the current step's gauges.
    const dt = step === this.step ? 0 : this.step < 0 ? GPU_STEP_MS : Math.min(MAX_CATCH_UP_MS, (step - this.step) * GPU_STEP_MS);
    this.step = step;
    this.faultVersion = this.faults.version;
    const hot = this.model.hotGpu(this.nodes);
    const parked = this.model.parkedGpu(this.nodes);
    for (let i = 0; i < this.gpus.length; i++) {
      const gpu = this.gpus[i];
      const row = this.values[i];
      this.model.compute(gpu, step, dt, gpu === hot, row, gpu === parked);
      const limits = thermalLimits(gpu.modelName);
      row[FIELD.DCGM_FI_DEV_SLOWDOWN_TEMP] = limits.slowdownC;
      row[FIELD.DCGM_FI_DEV_SHUTDOWN_TEMP] = limits.shutdownC;
      // A GPU at its shutdown temperature would be off the bus, not reporting: the hot GPU throttles below it.
      row[FIELD.DCGM_FI_DEV_GPU_TEMP] = Math.min(row[FIELD.DCGM_FI_DEV_GPU_TEMP], limits.shutdownC - 1);
      this.noteXid(gpu.uuid, row[FIELD.DCGM_FI_DEV_XID_ERRORS], step);
    }
    this.fleetText = undefined;
    this.fleetGzip = undefined;
    this.nodeText.clear();
  }

  /** Remembers when a GPU's XID code was raised (a new code restarts its count window). */
  private noteXid(uuid: string, code: number, step: number): void {
    const known = this.xidSince.get(uuid);
    if (code === 0) this.xidSince.delete(uuid);
    else if (known?.code !== code) this.xidSince.set(uuid, { code, step });
  }

  private xidState = (gpu: Gpu, values: Float64Array): XidState => {
    const code = values[FIELD.DCGM_FI_DEV_XID_ERRORS];
    const since = this.xidSince.get(gpu.uuid);
    return { code, inWindow: since && since.code === code && this.step - since.step < XID_WINDOW_STEPS ? 1 : 0 };
  };

  private exporting(node: GpuNode): boolean {
    return node.ready && !this.faults.isExporterDown(node.name);
  }

  /**
   * Keeps the fleet page ready: called on a timer, it advances to the current step and, if
   * someone asked for `/metrics` in the last minute, renders the page before the next scrape does.
   */
  warm(now: number, wallNow = Date.now()): void {
    this.refresh(now);
    if (this.fleetText === undefined && !this.gzipInFlight && wallNow - this.fleetAskedAt < 60_000) void this.fleetMetricsGzip(now, false);
  }

  /** The whole fleet on one page (what `/metrics` serves). */
  fleetMetrics(now: number, asked = true): Buffer {
    if (asked) this.fleetAskedAt = Date.now();
    this.refresh(now);
    if (this.fleetText === undefined) {
      const rows: { gpu: Gpu; values: Float64Array }[] = [];
      let g = 0;
      for (const node of this.nodes) {
        const on = this.exporting(node);
        for (let i = 0; i < node.gpus.length; i++, g++) if (on) rows.push({ gpu: this.gpus[g], values: this.values[g] });
      }
      this.fleetText = render(rows, this.xidState);
    }
    return this.fleetText;
  }

  /**
   * The fleet page gzip-compressed (what Prometheus and `curl --compressed` ask for): ~15x smaller,
   * compressed once per step on libuv's thread pool, so the event loop stays free.
   */
  fleetMetricsGzip(now: number, asked = true): Promise<Buffer> {
    const text = this.fleetMetrics(now, asked);
    if (!this.fleetGzip) {
      const job = gzipAsync(text, { level: 1 });
      this.fleetGzip = job;
      this.gzipInFlight = job;
      const done = () => {
        if (this.gzipInFlight === job) this.gzipInFlight = undefined;
      };
      job.then(done, done);
    }
    return this.fleetGzip;
  }

  /** One node's exporter page; `down` when its node is NotReady or its exporter was stopped. */
  nodeMetrics(nodeName: string, now: number): { status: 'ok'; text: Buffer } | { status: 'down' | 'unknown' } {
    this.refresh(now);
    let offset = 0;
    for (const node of this.nodes) {
      if (node.name === nodeName) {
        if (!this.exporting(node)) return { status: 'down' };
        let text = this.nodeText.get(nodeName);
        if (text === undefined) {
          text = render(
            node.gpus.map((gpu, i) => ({ gpu, values: this.values[offset + i] })),
            this.xidState,
          );
          this.nodeText.set(nodeName, text);
        }
        return { status: 'ok', text };
      }
      offset += node.gpus.length;
    }
    return { status: 'unknown' };
  }
}

/**
 * Renders straight into one Buffer: family names and each GPU's label block are pre-encoded, so a
 * line costs two copies and one number format. ~10x faster than string concatenation at 8,000 GPUs
 * and the result is sent as-is, with no per-scrape encoding.
 */
const FAMILY_BYTES = DCGM_FAMILIES.map((f) => ({ header: Buffer.from(header(f), 'latin1'), name: Buffer.from(f.name, 'latin1') }));
const XID_FIELD = FIELD.DCGM_FI_DEV_XID_ERRORS;
const XID_COUNT = {
  header: Buffer.from(header({ name: 'DCGM_EXP_XID_ERRORS_COUNT', type: 'counter', help: 'reported XIDs during last window' }), 'latin1'),
  name: Buffer.from('DCGM_EXP_XID_ERRORS_COUNT', 'latin1'),
};

function render(rows: readonly { gpu: Gpu; values: Float64Array }[], xidOf: (gpu: Gpu, values: Float64Array) => XidState): Buffer {
  const labels = rows.map((r) => labelBytes(r.gpu));
  const xids = rows.map((r) => xidOf(r.gpu, r.values));
  const xidLabels = rows.map((r, i) => xidLabelBytes(r.gpu, xids[i].code));
  const countLabels = rows.map((r, i) => (xids[i].inWindow ? extraLabels(labels[i], `xid="${xids[i].code}"`) : labels[i]));
  let size = XID_COUNT.header.length;
  for (let f = 0; f < FAMILY_BYTES.length; f++) {
    size += FAMILY_BYTES[f].header.length;
    for (const l of f === XID_FIELD ? xidLabels : labels) size += FAMILY_BYTES[f].name.length + l.length + 32;
  }
  for (const l of countLabels) size += XID_COUNT.name.length + l.length + 32;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let f = 0; f < FAMILY_BYTES.length; f++) {
    const fam = FAMILY_BYTES[f];
    at += fam.header.copy(out, at);
    const float = FLOAT_FIELDS.has(f);
    const familyLabels = f === XID_FIELD ? xidLabels : labels;
    for (let r = 0; r < rows.length; r++) {
      at += fam.name.copy(out, at);
      at += familyLabels[r].copy(out, at);
      out[at++] = 0x20;
      at = writeNumber(out, at, rows[r].values[f], float ? 6 : 0);
      out[at++] = 0x0a;
    }
  }
  at += XID_COUNT.header.copy(out, at);
  for (let r = 0; r < rows.length; r++) {
    at += XID_COUNT.name.copy(out, at);
    at += countLabels[r].copy(out, at);
    out[at++] = 0x20;
    at = writeNumber(out, at, xids[r].inWindow, 0);
    out[at++] = 0x0a;
  }
  return out.subarray(0, at);
}

/** A label block with more labels before its closing brace. */
const extraLabels = (block: Buffer, pairs: string): Buffer => Buffer.concat([block.subarray(0, block.length - 1), Buffer.from(`,${pairs}}`, 'utf8')]);

const xidLabelCache = new WeakMap<Gpu, { code: number; bytes: Buffer }>();
/** The XID gauge's labels: the GPU's plus err_code/err_msg, as current dcgm-exporter releases add them. */
function xidLabelBytes(gpu: Gpu, code: number): Buffer {
  const hit = xidLabelCache.get(gpu);
  if (hit?.code === code) return hit.bytes;
  const msg = code === 0 ? 'No Error' : (xidText(code) ?? 'Unknown Error');
  const bytes = extraLabels(labelBytes(gpu), `err_code="${code}",err_msg="${escapeLabel(msg)}"`);
  xidLabelCache.set(gpu, { code, bytes });
  return bytes;
}

/** Writes a finite number in plain decimal (at most `decimals` places, no trailing zeros). */
function writeNumber(out: Buffer, at: number, v: number, decimals: number): number {
  if (!Number.isFinite(v) || Math.abs(v) >= 1e15) return at + out.write(String(v), at, 'latin1');
  if (v < 0) {
    out[at++] = 0x2d;
    v = -v;
  }
  const scale = decimals ? 10 ** decimals : 1;
  const scaled = Math.round(v * scale);
  let intPart = Math.floor(scaled / scale);
  let frac = scaled - intPart * scale;
  let width = 1;
  for (let p = 10; p <= intPart; p *= 10) width++;
  for (let d = width - 1; d >= 0; d--) {
    out[at + d] = 0x30 + (intPart % 10);
    intPart = Math.floor(intPart / 10);
  }
  at += width;
  if (frac > 0) {
    out[at++] = 0x2e;
    let digits = decimals;
    while (frac % 10 === 0) {
      frac /= 10;
      digits--;
    }
    for (let d = digits - 1; d >= 0; d--) {
      out[at + d] = 0x30 + (frac % 10);
      frac = Math.floor(frac / 10);
    }
    at += digits;
  }
  return at;
}

const labelCache = new WeakMap<Gpu, Buffer>();
function labelBytes(gpu: Gpu): Buffer {
  let b = labelCache.get(gpu);
  if (!b) labelCache.set(gpu, (b = Buffer.from(gpu.labels, 'utf8')));
  return b;
}
