// NVIDIA XID errors an SRE meets most, with where they usually come from (NVIDIA's XID catalogue):
// a bad kernel or an out-of-bounds access in the application (13, 31, 43, 45) is the workload's
// problem; ECC, NVLink and bus errors (48, 63, 64, 74, 79, 92, 94, 95) are the hardware's or the
// driver's and call for draining the node.

export type XidClass = 'application' | 'hardware';

interface XidInfo {
  text: string;
  cls: XidClass;
}

const XIDS: Record<number, XidInfo> = {
  13: { text: 'graphics engine exception', cls: 'application' },
  31: { text: 'GPU memory page fault', cls: 'application' },
  43: { text: 'GPU stopped processing', cls: 'application' },
  45: { text: 'preemptive cleanup', cls: 'application' },
  48: { text: 'double-bit ECC error', cls: 'hardware' },
  63: { text: 'ECC page retirement', cls: 'hardware' },
  64: { text: 'ECC page retirement failure', cls: 'hardware' },
  74: { text: 'NVLink error', cls: 'hardware' },
  79: { text: 'GPU has fallen off the bus', cls: 'hardware' },
  92: { text: 'high single-bit ECC rate', cls: 'hardware' },
  94: { text: 'contained ECC error', cls: 'hardware' },
  95: { text: 'uncontained ECC error', cls: 'hardware' },
};

/** What the XID means, or undefined for a code outside the table. */
export const xidText = (code: number): string | undefined => XIDS[code]?.text;

/** Where the XID usually comes from; undefined when the table does not say. */
export const xidClass = (code: number): XidClass | undefined => XIDS[code]?.cls;
