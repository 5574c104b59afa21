// The incident journal on disk: replayed into the incident, 0600, a torn last line skipped and
// named while every record before it is kept, and the next write starting on a line of its own.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRecords, incidentsDir, listIncidentIds, readIncident } from '../../electron/core/incidents/incident-journal.js';
import type { Incident } from '../../shared/model/incident.js';

const ID = 'inc-20261202-0700-abc123';
const incident: Incident = {
  id: ID,
  context: 'demo-admin',
  title: 'Gateway 5xx',
  severity: 'P2',
  commander: 'alice',
  status: 'investigating',
  declaredAt: '2026-12-02T07:00:00.000Z',
  declaredBy: 'alice',
  namespaces: ['inference'],
  retro: { summary: '', rootCause: '', contributingFactors: '', lessonsLearned: '', actionItems: [] },
};
const note = (n: number) => ({ t: 'entry' as const, entry: { key: `note:${n}`, at: `2026-12-02T07:0${n}:00.000Z`, kind: 'note' as const, text: `note ${n}` } });
let dir: string;

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-incident-journal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('incident journal', () => {
  it('replays declaration, entries, status and retro; the file is 0600', () => {
    appendRecords(dir, ID, [{ t: 'declared', incident }, note(1)]);
    appendRecords(dir, ID, [{ t: 'status', at: '2026-12-02T07:05:00.000Z', status: 'resolved', who: 'alice' }, { t: 'retro', at: '2026-12-02T07:06:00.000Z', retro: { rootCause: 'bad build' }, who: 'alice' }]);
    const read = readIncident(dir, ID);
    expect(read?.incident).toMatchObject({ status: 'resolved', resolvedAt: '2026-12-02T07:05:00.000Z', retro: { rootCause: 'bad build', summary: '' } });
    expect(read && 'entries' in read ? read.entries.map((e) => e.text) : []).toEqual(['note 1']);
    expect(read?.problems).toEqual([]);
    expect(statSync(join(incidentsDir(dir), `${ID}.jsonl`)).mode & 0o777).toBe(0o600);
    expect(listIncidentIds(dir)).toEqual([ID]);
  });

  it('skips a torn last line with its file and line, keeps the rest, and writes on after it', () => {
    appendRecords(dir, ID, [{ t: 'declared', incident }, note(1), note(2)]);
    const path = join(incidentsDir(dir), `${ID}.jsonl`);
    appendFileSync(path, JSON.stringify(note(3)).slice(0, 25)); // the crash cut this write
    const torn = readIncident(dir, ID);
    expect(torn && 'entries' in torn ? torn.entries.map((e) => e.text) : []).toEqual(['note 1', 'note 2']);
    expect(torn?.problems).toEqual([`${path} line 4: cut short (the write was interrupted, e.g. by a crash); skipped, the other records are kept.`]);

    appendRecords(dir, ID, [note(4)]);
    expect(readFileSync(path, 'utf8').split('\n').at(-2)).toBe(JSON.stringify(note(4)));
    const after = readIncident(dir, ID);
    expect(after && 'entries' in after ? after.entries.map((e) => e.text) : []).toEqual(['note 1', 'note 2', 'note 4']);
    expect(after?.problems[0]).toMatch(/line 4: not a journal record; skipped/);
  });

  it('a journal whose declaration cannot be read says so instead of inventing an incident', () => {
    appendRecords(dir, ID, [note(1)]);
    const read = readIncident(dir, ID);
    expect(read?.incident).toBeUndefined();
    expect(read?.problems.join(' ')).toMatch(/no declaration could be read/);
  });
});
