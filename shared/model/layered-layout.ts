// The layered layout the worker runs: layers left to right (Service, workload, ReplicaSet, pods,
// nodes), ordered inside each layer by their neighbours (barycenters) so edges stay short, and
// wrapped into sub-columns so 1,000 nodes do not make a 30,000-pixel column. Linear-ish in items:
// 10,000 pods lay out in milliseconds, where elkjs' layered algorithm would take seconds.

export interface LayoutInput {
  items: { id: string; layer: number; sort: string; w: number; h: number }[];
  edges: [string, string][];
}

export interface LayoutOutput {
  /** x, y per item, in the input order. */
  positions: Float64Array;
  width: number;
  height: number;
}

const GAP_X = 90;
const GAP_Y = 8;
const SUB_GAP = 24;
const MAX_ROWS = 48;
const MIN_ROWS = 12;

export function layeredLayout(input: LayoutInput): LayoutOutput {
  const index = new Map<string, number>();
  input.items.forEach((item, i) => index.set(item.id, i));
  const neighbours: number[][] = input.items.map(() => []);
  for (const [a, b] of input.edges) {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) continue;
    neighbours[ia].push(ib);
    neighbours[ib].push(ia);
  }
  const layers = new Map<number, number[]>();
  input.items.forEach((item, i) => {
    const list = layers.get(item.layer) ?? [];
    list.push(i);
    layers.set(item.layer, list);
  });
  const order = new Float64Array(input.items.length);
  const layerIds = [...layers.keys()].sort((a, b) => a - b);
  // First pass: sort keys; then two sweeps of barycenters from the left layers.
  for (const layer of layerIds) {
    const list = layers.get(layer)!;
    list.sort((a, b) => (input.items[a].sort < input.items[b].sort ? -1 : input.items[a].sort > input.items[b].sort ? 1 : 0));
    list.forEach((i, rank) => (order[i] = rank / Math.max(1, list.length)));
  }
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const layer of layerIds.slice(1)) {
      const list = layers.get(layer)!;
      const bary = new Map<number, number>();
      for (const i of list) {
        let sum = 0;
        let n = 0;
        for (const j of neighbours[i]) {
          if (input.items[j].layer < layer) {
            sum += order[j];
            n++;
          }
        }
        bary.set(i, n ? sum / n : order[i]);
      }
      list.sort((a, b) => bary.get(a)! - bary.get(b)! || (input.items[a].sort < input.items[b].sort ? -1 : 1));
      list.forEach((i, rank) => (order[i] = rank / Math.max(1, list.length)));
    }
  }
  const positions = new Float64Array(input.items.length * 2);
  let x = 0;
  let height = 0;
  for (const layer of layerIds) {
    const list = layers.get(layer)!;
    // Wrap long layers into columns, aiming at a wide rather than tall picture.
    const rows = Math.max(1, Math.min(list.length, MAX_ROWS, Math.max(MIN_ROWS, Math.ceil(Math.sqrt(list.length) * 2))));
    const columns = Math.ceil(list.length / rows);
    let colX = x;
    for (let c = 0; c < columns; c++) {
      const slice = list.slice(c * rows, (c + 1) * rows);
      const width = Math.max(0, ...slice.map((i) => input.items[i].w));
      let y = 0;
      for (const i of slice) {
        positions[i * 2] = colX;
        positions[i * 2 + 1] = y;
        y += input.items[i].h + GAP_Y;
      }
      height = Math.max(height, y);
      colX += width + SUB_GAP;
    }
    x = colX - SUB_GAP + GAP_X;
  }
  return { positions, width: Math.max(0, x - GAP_X), height };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const MAX_PROVISIONAL = 50;

/**
 * Positions for `items` reusing `placed`, with the (few) new items stacked under the lowest item of
 * their layer's rightmost column, so nothing overlaps. Undefined when too much is new to place this
 * way (a filter, an expanded group) or a layer has nothing placed yet: then wait for the worker.
 */
export function provisionalPlacement<K extends string>(
  items: readonly { id: string; layer: number; kind: K }[],
  placed: ReadonlyMap<string, Box>,
  sizes: Record<K, [number, number]>,
): Map<string, Box> | undefined {
  const fresh: { id: string; layer: number; kind: K }[] = [];
  const tails = new Map<number, { x: number; bottom: number }>();
  const out = new Map<string, Box>();
  for (const item of items) {
    const p = placed.get(item.id);
    if (!p) {
      fresh.push(item);
      if (fresh.length > MAX_PROVISIONAL) return undefined;
      continue;
    }
    out.set(item.id, p);
    const tail = tails.get(item.layer);
    if (!tail || p.x > tail.x) tails.set(item.layer, { x: p.x, bottom: p.y + p.h });
    else if (p.x === tail.x) tail.bottom = Math.max(tail.bottom, p.y + p.h);
  }
  for (const item of fresh) {
    const tail = tails.get(item.layer);
    if (!tail) return undefined;
    const [w, h] = sizes[item.kind];
    out.set(item.id, { x: tail.x, y: tail.bottom + GAP_Y, w, h });
    tail.bottom += GAP_Y + h;
  }
  return out;
}
