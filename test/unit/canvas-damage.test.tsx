import { describe, expect, it } from 'vitest';
import type { GraphItem } from '../../shared/model/topology-graph';
import { damageRegions, MAX_REGIONS, screenDamage, type DrawnModel, type Frame } from '../../renderer/views/topology/canvas/damage';

const item = (id: string, h: GraphItem['h'] = 'ok'): GraphItem => ({ id, kind: id.startsWith('node/') ? 'node' : id.startsWith('group/') ? 'group' : 'pod', label: id, h, layer: 0, sort: id });
const ids = ['pod/a', 'pod/b', 'group/g', 'node/n'];
const placed = new Map(ids.map((id, i) => [id, { x: i * 300, y: 100, w: 200, h: 40 }]));
/** One edge list for models whose edges did not change (the damage check compares identity). */
const noEdges: [string, string][] = [];
const model = (items: GraphItem[], edges = noEdges, edgeHistory?: DrawnModel['edgeHistory']): DrawnModel => ({ items, edges, memberOf: new Map(), edgeHistory });
const frame = (m: DrawnModel, patch: Partial<Frame> = {}): Frame => ({ model: m, placed, scale: 1, tx: 0, ty: 0, w: 800, h: 600, thin: false, ...patch });
const noLabels = new Map();

describe('topology canvas damage', () => {
  const items = ids.map((id) => item(id));
  const drawn = frame(model(items));

  it('repaints nothing when nothing changed, and one padded box per replaced item', () => {
    expect(damageRegions(drawn, frame(model(items)), noLabels)).toEqual([]);
    const patched = [...items];
    patched[1] = item('pod/b', 'failing');
    // Pad: 6 px on screen at scale 1.
    expect(damageRegions(drawn, frame(model(patched)), noLabels)).toEqual([{ x: 294, y: 94, w: 212, h: 52 }]);
  });

  it("includes a replaced item's zoomed-out label (screen box back to world space)", () => {
    const patched = [...items];
    patched[0] = item('pod/a', 'warning');
    const at = { scale: 0.5, tx: 10, ty: 20 };
    const regions = damageRegions(frame(model(items), at), frame(model(patched), at), new Map([[0, { x: 60, y: 70, w: 50, h: 17 }]]));
    // Pad 6 / max(0.5, 0.3) = 12 world px.
    expect(regions).toEqual([
      { x: -12, y: 88, w: 224, h: 64 },
      { x: 88, y: 88, w: 124, h: 58 },
    ]);
  });

  it('asks for a full frame when the view, layout, selection or shape changed', () => {
    const same = model(items);
    expect(damageRegions(undefined, frame(same), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { tx: 1 }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { w: 801 }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { placed: new Map(placed) }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { selected: 'pod/a' }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { highlight: new Set() }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(model(items.slice(1))), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(model([items[1], items[0], ...items.slice(2)])), noLabels)).toBeUndefined();
  });

  it('a new set of search matches repaints only the items that joined or left it', () => {
    const before = frame(model(items), { highlight: new Set(['pod/a']) });
    const regions = damageRegions(before, frame(before.model, { highlight: new Set(['pod/b']) }), noLabels);
    expect(regions?.map((r) => r.x + 6)).toEqual([0, 300]);
  });

  it('repaints the span of edges added or removed since the drawn edges, skipping hidden fan-out', () => {
    const e0: [string, string][] = [];
    const e1: [string, string][] = [['pod/a', 'pod/b']];
    const e2: [string, string][] = [['pod/a', 'pod/b'], ['group/g', 'node/n']];
    const history = [
      { from: e0, added: e1, removed: [] },
      { from: e1, added: [['group/g', 'node/n'] as [string, string]], removed: [] },
    ];
    const before = frame(model(items, e0));
    const after = model(items, e2, history);
    expect(damageRegions(before, frame(after), noLabels)).toEqual([
      { x: 194, y: 114, w: 112, h: 12 },
      { x: 794, y: 114, w: 112, h: 12 },
    ]);
    // Crowded graph: the group->node edge is not drawn, so it damages nothing.
    expect(damageRegions({ ...before, thin: true }, frame(after, { thin: true }), noLabels)).toHaveLength(1);
    // Edges changed by a history that does not start from what was drawn: full frame.
    expect(damageRegions(frame(model(items, [])), frame(after), noLabels)).toBeUndefined();
  });

  it('gives up past MAX_REGIONS rectangles (a full frame is cheaper)', () => {
    const many = Array.from({ length: MAX_REGIONS + 1 }, (_, i) => item(`pod/${i}`));
    const where = new Map(many.map((it, i) => [it.id, { x: i, y: 0, w: 1, h: 1 }]));
    const changed = many.map((it) => ({ ...it }));
    expect(damageRegions(frame(model(many), { placed: where }), frame(model(changed), { placed: where }), noLabels)).toBeUndefined();
    expect(damageRegions(frame(model(many), { placed: where }), frame(model([...changed.slice(0, MAX_REGIONS), many[MAX_REGIONS]]), { placed: where }), noLabels)).toHaveLength(MAX_REGIONS);
  });

  it('snaps damage outwards to whole screen pixels and merges it into one bounding box', () => {
    const { rects, box } = screenDamage([{ x: 1.2, y: 2.5, w: 3, h: 1 }, { x: 10, y: -4, w: 0.5, h: 0.5 }], { scale: 2, tx: 0.3, ty: 0 });
    expect(rects).toEqual([
      { x0: 2, y0: 5, x1: 9, y1: 7 },
      { x0: 20, y0: -8, x1: 22, y1: -7 },
    ]);
    expect(box).toEqual({ x0: 2, y0: -8, x1: 22, y1: 7 });
  });
});
