// The DCGM exporter's default counters (NVIDIA/dcgm-exporter etc/default-counters.csv, the rows
// that are switched on), in its order, with its types and help strings, plus the two thermal-limit
// fields: the demo exports what a stock install scrapes, so dashboards and rules written for the real
// exporter work here. DCGM_EXP_XID_ERRORS_COUNT is rendered by the exporter itself (its labels vary).
import type { Family } from './exposition.js';

export const DCGM_FAMILIES = [
  { name: 'DCGM_FI_DEV_SM_CLOCK', type: 'gauge', help: 'SM clock frequency (in MHz).' },
  { name: 'DCGM_FI_DEV_MEM_CLOCK', type: 'gauge', help: 'Memory clock frequency (in MHz).' },
  { name: 'DCGM_FI_DEV_MEMORY_TEMP', type: 'gauge', help: 'Memory temperature (in C).' },
  { name: 'DCGM_FI_DEV_GPU_TEMP', type: 'gauge', help: 'GPU temperature (in C).' },
  { name: 'DCGM_FI_DEV_POWER_USAGE', type: 'gauge', help: 'Power draw (in W).' },
  { name: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', type: 'counter', help: 'Total energy consumption since boot (in mJ).' },
  { name: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER', type: 'counter', help: 'Total number of PCIe retries.' },
  { name: 'DCGM_FI_DEV_GPU_UTIL', type: 'gauge', help: 'GPU utilization (in %).' },
  { name: 'DCGM_FI_DEV_MEM_COPY_UTIL', type: 'gauge', help: 'Memory utilization (in %).' },
  { name: 'DCGM_FI_DEV_ENC_UTIL', type: 'gauge', help: 'Encoder utilization (in %).' },
  { name: 'DCGM_FI_DEV_DEC_UTIL', type: 'gauge', help: 'Decoder utilization (in %).' },
  { name: 'DCGM_FI_DEV_XID_ERRORS', type: 'gauge', help: 'Value of the last XID error encountered.' },
  { name: 'DCGM_FI_DEV_FB_FREE', type: 'gauge', help: 'Framebuffer memory free (in MiB).' },
  { name: 'DCGM_FI_DEV_FB_USED', type: 'gauge', help: 'Framebuffer memory used (in MiB).' },
  { name: 'DCGM_FI_DEV_FB_RESERVED', type: 'gauge', help: 'Framebuffer memory reserved (in MiB).' },
  { name: 'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', type: 'counter', help: 'Total number of NVLink bandwidth counters for all lanes.' },
  { name: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Number of remapped rows for uncorrectable errors' },
  { name: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Number of remapped rows for correctable errors' },
  { name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE', type: 'gauge', help: 'Whether remapping of rows has failed' },
  { name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', type: 'gauge', help: 'Ratio of time the graphics engine is active.' },
  { name: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', type: 'gauge', help: 'Ratio of cycles the tensor (HMMA) pipe is active.' },
  { name: 'DCGM_FI_PROF_DRAM_ACTIVE', type: 'gauge', help: 'Ratio of cycles the device memory interface is active sending or receiving data.' },
  {
    name: 'DCGM_FI_PROF_PCIE_TX_BYTES',
    type: 'gauge',
    help: 'The rate of data transmitted over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
  },
  {
    name: 'DCGM_FI_PROF_PCIE_RX_BYTES',
    type: 'gauge',
    help: 'The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
  },
  // Not in the default counters: collected here as a counters file that adds them would (DCGM field
  // ids 93 and 92), so callouts can judge each GPU against its own thermal limits.
  { name: 'DCGM_FI_DEV_SLOWDOWN_TEMP', type: 'gauge', help: 'Slowdown temperature for the device.' },
  { name: 'DCGM_FI_DEV_SHUTDOWN_TEMP', type: 'gauge', help: 'Shutdown temperature for the device.' },
] as const satisfies readonly Family[];

export type DcgmField = (typeof DCGM_FAMILIES)[number]['name'];

/** Column of each field in a GPU's value row. */
export const FIELD: { [K in DcgmField]: number } = Object.fromEntries(DCGM_FAMILIES.map((f, i) => [f.name, i])) as { [K in DcgmField]: number };

export const FIELD_COUNT = DCGM_FAMILIES.length;

/** Fields printed with decimals; every other field is an integer in the real exporter. */
export const FLOAT_FIELDS = new Set<number>([
  FIELD.DCGM_FI_DEV_POWER_USAGE,
  FIELD.DCGM_FI_PROF_GR_ENGINE_ACTIVE,
  FIELD.DCGM_FI_PROF_PIPE_TENSOR_ACTIVE,
  FIELD.DCGM_FI_PROF_DRAM_ACTIVE,
]);
