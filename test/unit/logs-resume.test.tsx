// The Logs view after browser mode's socket reconnects: the re-subscription sends each pod's tail
// again, and only lines not yet held may reach the viewer.
import { describe, expect, it } from 'vitest';
import { ResumeFilter } from '../../renderer/stores/logs-resume';
import type { LineInput } from '../../renderer/stores/logs-lines';

const keys: Record<number, string> = { 0: 'a/web', 1: 'b/web' };
const keyOf = (src: number) => keys[src];
const line = (src: number, t: number, text: string): LineInput => ({ src, t, text });

describe('logs resume filter', () => {
  it('passes everything while nothing was re-attached, repeats of a text at one millisecond included', () => {
    const f = new ResumeFilter();
    const batch = [line(0, 1, 'x'), line(0, 1, 'x'), line(1, 1, 'y'), line(0, 2, 'z')];
    expect(f.filter(batch, keyOf)).toEqual(batch);
    f.attached('c/web'); // a new pod: nothing held, nothing to drop
    expect(f.filter([line(0, 2, 'z')], keyOf)).toEqual([line(0, 2, 'z')]);
  });

  it('after a re-attach drops the resent tail: older lines, and at the last held time only the texts held there', () => {
    const f = new ResumeFilter();
    f.filter([line(0, 10, 'a1'), line(0, 20, 'a2'), line(0, 20, 'a3'), line(0, 20, 'a3'), line(1, 15, 'b1')], keyOf);
    f.attached('a/web');
    // The tail again (10, 20, 20, 20), then a line at 20 that was never held, then new lines.
    const resent = [line(0, 10, 'a1'), line(0, 20, 'a2'), line(0, 20, 'a3'), line(0, 20, 'a3'), line(0, 20, 'a4'), line(0, 30, 'a5'), line(0, 30, 'a5')];
    // b was not re-attached: its lines pass even when older than a's.
    expect(f.filter([...resent, line(1, 16, 'b2')], keyOf)).toEqual([line(0, 20, 'a4'), line(0, 30, 'a5'), line(0, 30, 'a5'), line(1, 16, 'b2')]);
    // The resume ended at the first newer line: a later repeat is a real repeat.
    expect(f.filter([line(0, 30, 'a5')], keyOf)).toEqual([line(0, 30, 'a5')]);
  });

  it('forgets what was held when the view is cleared', () => {
    const f = new ResumeFilter();
    f.filter([line(0, 10, 'a1')], keyOf);
    f.clear();
    f.attached('a/web');
    expect(f.filter([line(0, 10, 'a1')], keyOf)).toEqual([line(0, 10, 'a1')]);
  });

  it('leaves lines of untracked sources (Loki streams) alone', () => {
    const f = new ResumeFilter();
    expect(f.filter([line(7, 1, 'l'), line(7, 1, 'l')], () => undefined)).toHaveLength(2);
  });
});
