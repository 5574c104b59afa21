// `nvidia-smi` output in the layout of the 535-series driver: the summary table, `-L`, and the
// common `--query-gpu=… --format=csv[,noheader][,nounits]` form.
import { CUDA_VERSION, DRIVER_VERSION, type GpuReading } from './gpu-view.js';

const WIDTH = 89;
const line = (c: string) => `+${c.repeat(WIDTH - 2)}+`;
const cells = '+-----------------------------------------+----------------------+----------------------+';
const cellsDouble = '|=========================================+======================+======================|';

/** `Tue Nov 24 19:12:32 2026` as C's asctime prints it, in UTC. */
export function asctime(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

function row(a: string, b: string, c: string): string {
  return `|${a.padEnd(41).slice(0, 41)}|${b.padEnd(22).slice(0, 22)}|${c.padEnd(22).slice(0, 22)}|`;
}

export function nvidiaSmiTable(gpus: GpuReading[], now: number): string {
  const out: string[] = [];
  out.push(`${asctime(now)}       `);
  out.push(line('-'));
  const head = ` NVIDIA-SMI ${DRIVER_VERSION}             Driver Version: ${DRIVER_VERSION}   CUDA Version: ${CUDA_VERSION}`;
  out.push(`|${head.padEnd(WIDTH - 2)}|`);
  out.push(cells.replace(/^\+/, '|'));
  out.push(row(' GPU  Name                 Persistence-M', ' Bus-Id        Disp.A', ' Volatile Uncorr. ECC'));
  out.push(row(' Fan  Temp   Perf          Pwr:Usage/Cap', '         Memory-Usage', ' GPU-Util  Compute M.'));
  out.push(row('', '', '               MIG M.'));
  out.push(cellsDouble);
  // Inside a container the visible GPUs are renumbered from 0; bus ids stay physical.
  gpus.forEach((g, i) => {
    out.push(row(`${String(i).padStart(4)}  ${g.name.padEnd(31)}On  `, ` ${g.busId} Off `, `${'0'.padStart(21)} `));
    out.push(row(` N/A  ${`${g.temperature}C`.padStart(4)}    ${g.perf}${`${g.powerW}W / ${g.powerCapW}W`.padStart(24)} `, `${`${g.memoryUsedMiB}MiB / ${g.memoryTotalMiB}MiB`.padStart(21)} `, `${`${g.utilization}%`.padStart(8)}      Default `));
    out.push(row('', '', `${'Disabled'.padStart(21)} `));
    out.push(cells);
  });
  out.push(' '.repeat(WIDTH));
  out.push(line('-'));
  out.push(`|${' Processes:'.padEnd(WIDTH - 2)}|`);
  out.push(`|${'  GPU   GI   CI        PID   Type   Process name                            GPU Memory'.padEnd(WIDTH - 2)}|`);
  out.push(`|${'        ID   ID                                                             Usage'.padEnd(WIDTH - 2)}|`);
  out.push(`|${'='.repeat(WIDTH - 2)}|`);
  const procs = gpus.flatMap((g, i) => g.processes.map((p) => ({ i, p })));
  if (procs.length === 0) out.push(`|${'  No running processes found'.padEnd(WIDTH - 2)}|`);
  for (const { i, p } of procs) {
    const left = `${String(i).padStart(5)}   N/A  N/A ${String(p.pid).padStart(9)}      C   ${p.name}`;
    const mem = `${p.memoryMiB}MiB`;
    out.push(`|${left.padEnd(WIDTH - 3 - mem.length)}${mem} |`);
  }
  out.push(line('-'));
  return out.join('\n') + '\n';
}

export function nvidiaSmiList(gpus: GpuReading[]): string {
  return gpus.map((g, i) => `GPU ${i}: ${g.name} (UUID: ${g.uuid})\n`).join('');
}

const QUERY_FIELDS: Record<string, { header: string; unit?: string; value: (g: GpuReading, i: number) => string | number }> = {
  index: { header: 'index', value: (_g, i) => i },
  name: { header: 'name', value: (g) => g.name },
  uuid: { header: 'uuid', value: (g) => g.uuid },
  'pci.bus_id': { header: 'pci.bus_id', value: (g) => g.busId },
  'driver_version': { header: 'driver_version', value: () => DRIVER_VERSION },
  'memory.total': { header: 'memory.total [MiB]', unit: ' MiB', value: (g) => g.memoryTotalMiB },
  'memory.used': { header: 'memory.used [MiB]', unit: ' MiB', value: (g) => g.memoryUsedMiB },
  'memory.free': { header: 'memory.free [MiB]', unit: ' MiB', value: (g) => g.memoryTotalMiB - g.memoryUsedMiB },
  'utilization.gpu': { header: 'utilization.gpu [%]', unit: ' %', value: (g) => g.utilization },
  'temperature.gpu': { header: 'temperature.gpu', value: (g) => g.temperature },
  'power.draw': { header: 'power.draw [W]', unit: ' W', value: (g) => g.powerW.toFixed(2) },
  'power.limit': { header: 'power.limit [W]', unit: ' W', value: (g) => g.powerCapW.toFixed(2) },
};

/** `--query-gpu=a,b --format=csv,noheader,nounits`; returns stderr text and code 2 on bad fields. */
export function nvidiaSmiQuery(gpus: GpuReading[], fields: string[], format: string[]): { stdout: string; stderr: string; code: number } {
  const unknown = fields.find((f) => !QUERY_FIELDS[f]);
  if (unknown) return { stdout: '', stderr: `Field "${unknown}" is not a valid field to query.\n\n`, code: 2 };
  if (!format.includes('csv')) return { stdout: '', stderr: '"--format" must be specified with "--query-gpu".\n', code: 2 };
  const noUnits = format.includes('nounits');
  const lines: string[] = [];
  if (!format.includes('noheader')) lines.push(fields.map((f) => (noUnits ? QUERY_FIELDS[f].header.replace(/ \[.*\]$/, '') : QUERY_FIELDS[f].header)).join(', '));
  gpus.forEach((g, i) => lines.push(fields.map((f) => `${QUERY_FIELDS[f].value(g, i)}${noUnits ? '' : (QUERY_FIELDS[f].unit ?? '')}`).join(', ')));
  return { stdout: lines.join('\n') + '\n', stderr: '', code: 0 };
}
