import { describe, expect, it } from 'vitest';
import type { GraphItem } from '../../shared/model/topology-graph';
import { DAMAGE_CELL, damageRegions, MAX_REGIONS, screenDamage, type DrawnModel, type Frame } from '../../renderer/views/topology/canvas/damage';

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
    const regions = damageRegions(frame(model(items), at), frame(model(patched), at), new Map([['pod/a', { x: 60, y: 70, w: 50, h: 17 }]]));
    // Pad 6 / max(0.5, 0.3) = 12 world px.
    expect(regions).toEqual([
      { x: -12, y: 88, w: 224, h: 64 },
      { x: 88, y: 88, w: 124, h: 58 },
    ]);
  });

  it('asks for a full frame when the view, selection or size changed', () => {
    const same = model(items);
    expect(damageRegions(undefined, frame(same), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { tx: 1 }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { w: 801 }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { selected: 'pod/a' }), noLabels)).toBeUndefined();
    expect(damageRegions(drawn, frame(same, { highlight: new Set() }), noLabels)).toBeUndefined();
  });

  it('a new shape placed around what is drawn repaints what appeared, went or moved, and their edges', () => {
    // The same boxes in a new map, or the same items in another order: nothing to repaint.
    expect(damageRegions(drawn, frame(model(items), { placed: new Map(placed) }), noLabels)).toEqual([]);
    expect(damageRegions(drawn, frame(model([items[1], items[0], ...items.slice(2)])), noLabels)).toEqual([]);
    // pod/a went (with its label), pod/c came below group/g with an edge to node/n.
    const edges: [string, string][] = [['pod/c', 'node/n']];
    const next = model([...items.slice(1), item('pod/c')], edges, [{ from: noEdges, added: edges, removed: [] }]);
    const where = new Map([...placed, ['pod/c', { x: 600, y: 200, w: 200, h: 40 }]]);
    where.delete('pod/a');
    expect(damageRegions(drawn, frame(next, { placed: where }), new Map([['pod/a', { x: 10, y: 110, w: 50, h: 17 }]]))).toEqual([
      { x: 594, y: 194, w: 212, h: 52 },
      { x: -6, y: 94, w: 212, h: 52 },
      { x: 4, y: 104, w: 62, h: 29 },
      // Its edge (once, though both in the history and at an item that appeared).
      { x: 794, y: 114, w: 112, h: 112 },
    ]);
    // A box that moved repaints where it was and where it is, and the edges at its ends.
    const linked = model(items, [['pod/a', 'pod/b']]);
    const moved = new Map(placed).set('pod/b', { x: 300, y: 300, w: 200, h: 40 });
    expect(damageRegions(frame(linked), frame(linked, { placed: moved }), noLabels)).toEqual([
      { x: 294, y: 94, w: 212, h: 52 },
      { x: 294, y: 294, w: 212, h: 52 },
      { x: 194, y: 114, w: 112, h: 212 },
      { x: 194, y: 114, w: 112, h: 12 },
    ]);
  });

  it('a tidy layout that moves everything is a full frame', () => {
    const many = Array.from({ length: MAX_REGIONS + 1 }, (_, i) => item(`pod/${i}`));
    const at = (dy: number) => new Map(many.map((it, i) => [it.id, { x: i * 10, y: dy, w: 5, h: 5 }]));
    expect(damageRegions(frame(model(many), { placed: at(0) }), frame(model(many), { placed: at(20) }), noLabels)).toBeUndefined();
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

  it('gathers damage on a grid of cells: runs merged across rows, nothing off the canvas, and the share covered', () => {
    const regions = [
      { x: 1, y: 1, w: 3, h: 3 },
      { x: 20, y: 20, w: 20, h: 5 },
      { x: 20, y: 35, w: 20, h: 2 },
      { x: -50, y: -50, w: 10, h: 10 },
    ];
    // Scale 2: screen boxes (2..8), (40..80 x 40..50), (40..80 x 70..74); a 128 x 96 canvas is 4 x 3 cells.
    const { rects, box, coverage } = screenDamage(regions, { scale: 2, tx: 0, ty: 0 }, 128, 96);
    expect(rects).toEqual([
      { x0: 0, y0: 0, x1: DAMAGE_CELL, y1: DAMAGE_CELL },
      { x0: DAMAGE_CELL, y0: DAMAGE_CELL, x1: 3 * DAMAGE_CELL, y1: 3 * DAMAGE_CELL },
    ]);
    expect(box).toEqual({ x0: 0, y0: 0, x1: 96, y1: 96 });
    expect(coverage).toBeCloseTo(5 / 12);
  });

  it('damages a long edge piecewise along its curve, not its whole box', () => {
    const far = new Map([...placed, ['node/n', { x: 1800, y: 1500, w: 200, h: 40 }]]);
    const before = frame(model(items), { placed: far });
    const edges: [string, string][] = [['pod/a', 'node/n']];
    const after = frame(model(items, edges, [{ from: noEdges, added: edges, removed: [] }]), { placed: far });
    const regions = damageRegions(before, after, noLabels)!;
    expect(regions.length).toBeGreaterThan(1);
    const area = regions.reduce((sum, r) => sum + r.w * r.h, 0);
    // The box from (200, 120) to (1800, 1520) is 1,600 x 1,400.
    expect(area).toBeLessThan((1600 * 1400) / 3);
    expect(Math.min(...regions.map((r) => r.x))).toBeCloseTo(194);
    expect(Math.max(...regions.map((r) => r.y + r.h))).toBeCloseTo(1526);
  });
});
