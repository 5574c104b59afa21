// Faults that scenarios inject and the metric models read: XID errors and heat on single GPUs,
// an exporter that stops answering on a node, 5xx and latency on a service or on pods running a
// given image (the bad canary). One registry per demo fleet; `version` lets caches notice changes.

export interface ErrorFault {
  /** Fraction of requests answered with a 5xx, 0–1. */
  errorRatio: number;
  /** Multiplies the latency distribution's median (1 = unchanged). */
  latencyFactor?: number;
  /** Simulated ms over which the fault grows from nothing to full strength (a leak, a warming cache). */
  rampMs?: number;
  /** Simulated time the fault began (set by the scenario step); needed with rampMs. */
  since?: number;
}

/** How much of a fault is in force at simulated time `t`: 0–1. */
export function faultStrength(fault: ErrorFault, t: number): number {
  if (!fault.rampMs || fault.since === undefined) return 1;
  return Math.max(0, Math.min(1, (t - fault.since) / fault.rampMs));
}

export class FaultRegistry {
  private readonly xid = new Map<string, number>();
  private readonly hot = new Set<string>();
  private readonly exporterDown = new Set<string>();
  private readonly serviceFaults = new Map<string, ErrorFault>();
  private readonly imageFaults = new Map<string, ErrorFault>();
  version = 0;

  setXid(node: string, gpu: number, code: number): void {
    this.xid.set(`${node}/${gpu}`, code);
    this.version++;
  }
  xidOf(node: string, gpu: number): number {
    return this.xid.get(`${node}/${gpu}`) ?? 0;
  }
  /** Clears XIDs on one node, or everywhere (a GPU reset / node reboot). */
  clearXid(node?: string): void {
    for (const key of [...this.xid.keys()]) if (!node || key.startsWith(`${node}/`)) this.xid.delete(key);
    this.version++;
  }

  setHot(node: string, gpu: number, hot: boolean): void {
    if (hot) this.hot.add(`${node}/${gpu}`);
    else this.hot.delete(`${node}/${gpu}`);
    this.version++;
  }
  isHot(node: string, gpu: number): boolean {
    return this.hot.has(`${node}/${gpu}`);
  }

  setExporterDown(node: string, down: boolean): void {
    if (down) this.exporterDown.add(node);
    else this.exporterDown.delete(node);
    this.version++;
  }
  isExporterDown(node: string): boolean {
    return this.exporterDown.has(node);
  }

  setServiceFault(namespace: string, service: string, fault: ErrorFault | undefined): void {
    if (fault) this.serviceFaults.set(`${namespace}/${service}`, fault);
    else this.serviceFaults.delete(`${namespace}/${service}`);
    this.version++;
  }
  /** `match` is a substring of the container image reference, e.g. ":2.4.0-rc1". */
  setImageFault(match: string, fault: ErrorFault | undefined): void {
    if (fault) this.imageFaults.set(match, fault);
    else this.imageFaults.delete(match);
    this.version++;
  }

  /** The fault for a pod of `service` running `images`: an image fault wins over a service fault. */
  errorFault(namespace: string, service: string, images: readonly string[]): ErrorFault | undefined {
    for (const [match, fault] of this.imageFaults) if (images.some((img) => img.includes(match))) return fault;
    return this.serviceFaults.get(`${namespace}/${service}`);
  }

  clearAll(): void {
    this.xid.clear();
    this.hot.clear();
    this.exporterDown.clear();
    this.serviceFaults.clear();
    this.imageFaults.clear();
    this.version++;
  }
}
