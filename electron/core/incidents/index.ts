// Incidents domain (issue #15): declare, notes, status changes and the retrospective write the
// incident's journal (Flightdeck's own data, never the cluster: no action-road RBAC, but refused
// to read-only sessions by the contract and recorded in the audit log). While an incident is open
// its timeline is collected from alerts, Warning events, the audit log and runbook runs, and what
// was collected is journaled, so a resolved incident reads back and exports offline.
import { randomBytes } from 'node:crypto';
import { ContractError } from '../../../shared/contract.js';
import type { DeclareIncident, IncidentDetail } from '../../../shared/contract/incidents.js';
import { incidentReport, type SloBudget } from '../../../shared/model/incident-report.js';
import { orderTimeline, type Incident, type IncidentStatus, type IncidentRetro, type TimelineEntry } from '../../../shared/model/incident.js';
import type { Session } from '../contract-server.js';
import type { Domain, DomainDeps } from '../domain.js';
import { appendRecords, listIncidentIds, readIncident, type IncidentJournalRecord, type ReplayedIncident } from './incident-journal.js';
import { collectTimeline } from './timeline-collect.js';

/** How often open incidents collect (alerts, events, actions); FLIGHTDECK_INCIDENT_COLLECT_MS overrides. */
const COLLECT_INTERVAL_MS = Number(process.env.FLIGHTDECK_INCIDENT_COLLECT_MS) || 15_000;

type Listener = (detail: IncidentDetail) => void;

function newIncidentId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13).toLowerCase();
  return `inc-${stamp}-${randomBytes(3).toString('hex')}`;
}

export function createIncidents(deps: DomainDeps, now: () => Date = () => new Date()) {
  const listeners = new Set<{ context?: string; id?: string; listener: Listener }>();
  // One operation per incident at a time: a collect and a note must not interleave their appends.
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(id) ?? Promise.resolve()).catch(() => undefined).then(work);
    queues.set(id, next);
    return next;
  };

  const replay = (id: string): ReplayedIncident => {
    const read = readIncident(deps.dataDir, id);
    if (!read) throw new ContractError('not_found', `No incident ${id} in ${deps.dataDir}.`);
    if (!read.incident) throw new ContractError('not_found', `Incident ${id} cannot be read: ${read.problems.join(' ')}`);
    return read;
  };
  const detailOf = (read: ReplayedIncident, extraProblems: string[] = []): IncidentDetail => ({
    incident: read.incident,
    timeline: orderTimeline(read.entries),
    problems: [...read.problems, ...extraProblems],
  });
  const tell = (detail: IncidentDetail) => {
    for (const { context, id, listener } of listeners) {
      if ((!id || id === detail.incident.id) && (!context || context === detail.incident.context)) listener(detail);
    }
  };
  const audit = (session: Session, incident: Incident, method: string, params: Record<string, unknown>) =>
    deps.audit.append({ phase: 'execute', outcome: 'succeeded', session: session.kind, context: incident.context, method, target: { kind: 'Incident', name: incident.id }, params });

  const sloBudgets = async (context: string): Promise<SloBudget[] | undefined> => {
    try {
      const { slos } = await deps.call('slo.status', { context });
      return slos.map((s) => ({ service: s.service, slo: s.slo, title: s.title, consumed: s.budget.consumed }));
    } catch {
      return undefined; // no metrics source: the report says no figures were available
    }
  };

  /** Collects new timeline entries of an open incident and journals them. */
  const collect = async (id: string): Promise<IncidentDetail> => {
    const read = replay(id);
    if (read.incident.status === 'resolved') return detailOf(read);
    const at = now().toISOString();
    const collected = await collectTimeline(deps, read.incident, read.firing, at);
    const known = new Set(read.entries.map((e) => e.key));
    const added = collected.entries.filter((e) => !known.has(e.key) && (known.add(e.key), true));
    const records: IncidentJournalRecord[] = added.map((entry) => ({ t: 'entry', entry }));
    if (collected.firing && JSON.stringify(collected.firing) !== JSON.stringify(read.firing)) records.push({ t: 'firing', keys: collected.firing });
    appendRecords(deps.dataDir, id, records);
    const detail = detailOf({ ...read, entries: [...read.entries, ...added] }, collected.problems);
    if (added.length) tell(detail);
    return detail;
  };

  /** Writes records (after collecting what happened up to now), audits, tells the listeners. */
  const change = (id: string, session: Session, method: string, params: Record<string, unknown>, build: (read: ReplayedIncident, at: string) => Promise<IncidentJournalRecord[]>) =>
    serial(id, async () => {
      const before = await collect(id);
      const read = replay(id);
      const records = await build(read, now().toISOString());
      appendRecords(deps.dataDir, id, records);
      audit(session, read.incident, method, params);
      const detail = { ...detailOf(replay(id)), problems: before.problems };
      tell(detail);
      return detail;
    });

  const entry = (at: string, kind: TimelineEntry['kind'], text: string, who: string): IncidentJournalRecord => ({
    t: 'entry',
    entry: { key: `${kind}:${at}:${randomBytes(3).toString('hex')}`, at, kind, text, who, source: 'Flightdeck' },
  });

  return {
    async declare(request: DeclareIncident, session: Session): Promise<IncidentDetail> {
      const declaredAt = now().toISOString();
      const who = request.who ?? request.commander;
      const alertNamespace = request.fromAlert?.labels.namespace;
      const incident: Incident = {
        id: newIncidentId(now()),
        context: request.context,
        title: request.title,
        severity: request.severity,
        commander: request.commander,
        status: 'investigating',
        declaredAt,
        declaredBy: who,
        fromAlert: request.fromAlert,
        namespaces: request.namespaces ?? (alertNamespace ? [alertNamespace] : []),
        retro: { summary: '', rootCause: '', contributingFactors: '', lessonsLearned: '', actionItems: [] },
      };
      const records: IncidentJournalRecord[] = [
        { t: 'declared', incident },
        entry(declaredAt, 'declared', `${incident.severity} incident declared: ${incident.title}${request.fromAlert ? ` (from alert ${request.fromAlert.name})` : ''}; commander ${incident.commander}`, who),
      ];
      const budgets = await sloBudgets(incident.context);
      if (budgets) records.push({ t: 'slo', at: declaredAt, when: 'declared', slos: budgets });
      appendRecords(deps.dataDir, incident.id, records);
      audit(session, incident, 'incidents.declare', { title: incident.title, severity: incident.severity, commander: incident.commander, fromAlert: request.fromAlert?.name });
      return serial(incident.id, async () => {
        const detail = await collect(incident.id);
        tell(detail);
        return detail;
      });
    },
    note: (id: string, text: string, who: string | undefined, session: Session) =>
      change(id, session, 'incidents.note', { length: text.length }, async (read, at) => [entry(at, 'note', text, who ?? read.incident.commander)]),
    setStatus: (id: string, status: IncidentStatus, who: string | undefined, session: Session) =>
      change(id, session, 'incidents.setStatus', { status }, async (read, at) => {
        if (read.incident.status === 'resolved') throw new ContractError('conflict', `Incident ${id} is resolved; its status no longer changes.`);
        if (read.incident.status === status) throw new ContractError('conflict', `Incident ${id} is already ${status}.`);
        const by = who ?? read.incident.commander;
        const records: IncidentJournalRecord[] = [entry(at, 'status', `Status: ${read.incident.status} → ${status}`, by), { t: 'status', at, status, who: by }];
        if (status === 'resolved') {
          const budgets = await sloBudgets(read.incident.context);
          if (budgets) records.push({ t: 'slo', at, when: 'resolved', slos: budgets });
        }
        return records;
      }),
    updateRetro: (id: string, retro: Partial<IncidentRetro>, session: Session) =>
      change(id, session, 'incidents.updateRetro', { fields: Object.keys(retro) }, async (read, at) => [{ t: 'retro', at, retro, who: read.incident.commander }]),
    get: (id: string) => serial(id, () => collect(id)),
    list(context?: string) {
      const problems: string[] = [];
      const incidents = listIncidentIds(deps.dataDir).flatMap((id) => {
        const read = readIncident(deps.dataDir, id);
        if (!read) return [];
        problems.push(...read.problems);
        if (!read.incident || (context && read.incident.context !== context)) return [];
        const { id: incidentId, context: ctx, title, severity, commander, status, declaredAt, resolvedAt } = read.incident;
        return [{ id: incidentId, context: ctx, title, severity, commander, status, declaredAt, resolvedAt, entries: read.entries.length }];
      });
      incidents.sort((a, b) => b.declaredAt.localeCompare(a.declaredAt));
      return { incidents, problems };
    },
    async export(id: string) {
      await serial(id, () => collect(id));
      const read = replay(id);
      return { fileName: `${id}.md`, markdown: incidentReport({ incident: read.incident, entries: read.entries, slo: read.slo, now: now().toISOString() }) };
    },
    /** Collects every open incident (the periodic timer). */
    async collectOpen() {
      for (const summary of this.list().incidents.filter((i) => i.status !== 'resolved')) {
        await serial(summary.id, () => collect(summary.id)).catch((error: unknown) => deps.log(`incident ${summary.id}: ${error instanceof Error ? error.message : String(error)}`));
      }
    },
    watch(filter: { context?: string; id?: string }, listener: Listener) {
      const entry_ = { ...filter, listener };
      listeners.add(entry_);
      if (filter.id) {
        const id = filter.id;
        void serial(id, async () => detailOf(replay(id))).then(listener, () => undefined);
      }
      return () => listeners.delete(entry_);
    },
  };
}

export const domain: Domain = {
  name: 'incidents',
  create: (deps) => {
    const incidents = createIncidents(deps);
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void incidents.collectOpen().finally(() => (running = false));
    }, COLLECT_INTERVAL_MS);
    timer.unref();
    return {
      handlers: {
        'incidents.list': async (req) => incidents.list(req.context),
        'incidents.get': (req) => incidents.get(req.id),
        'incidents.declare': (req, ctx) => incidents.declare(req, ctx.session),
        'incidents.note': (req, ctx) => incidents.note(req.id, req.text, req.who, ctx.session),
        'incidents.setStatus': (req, ctx) => incidents.setStatus(req.id, req.status, req.who, ctx.session),
        'incidents.updateRetro': (req, ctx) => incidents.updateRetro(req.id, req.retro, ctx.session),
        'incidents.export': (req) => incidents.export(req.id),
      },
      streams: {
        'incidents.events': (params, emit) => incidents.watch(params, (detail) => emit({ detail })),
      },
      stop: () => clearInterval(timer),
    };
  },
};
