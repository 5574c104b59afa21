// The views registry is the renderer's one list of views (issue #12): each view is one entry.
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../../renderer/views/registry';

describe('the views registry', () => {
  it('lists each view once: unique routes and unique g-keys', () => {
    const dupes = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
    expect(VIEWS.length).toBeGreaterThan(0);
    expect(dupes(VIEWS.map((v) => v.id))).toEqual([]);
    expect(dupes(VIEWS.map((v) => v.key))).toEqual([]);
  });
});
