// Alerts as the console shows them: one shape for Alertmanager's v2 API and Prometheus' own
// /api/v1/alerts, a severity label mapped to a P-level, and groups by alertname, namespace and
// service. Pure functions: the main process builds groups, the renderer and the bench reuse them.

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];

/**
 * Default severity → P-level. kube-prometheus rules use critical / warning / info (and `none` for
 * the Watchdog); some teams add error / high / page. Anything unknown is P4, never hidden.
 */
export const DEFAULT_SEVERITY_PRIORITY: Readonly<Record<string, Priority>> = {
  critical: 'P1',
  page: 'P1',
  error: 'P2',
  high: 'P2',
  major: 'P2',
  warning: 'P3',
  medium: 'P3',
  minor: 'P3',
  info: 'P4',
  low: 'P4',
  none: 'P4',
};

export function priorityOf(severity: string | undefined, overrides: Readonly<Record<string, Priority>> = {}): Priority {
  const key = (severity ?? '').trim().toLowerCase();
  return overrides[key] ?? DEFAULT_SEVERITY_PRIORITY[key] ?? 'P4';
}

/** active = notifying; suppressed = silenced or inhibited in Alertmanager; pending = Prometheus `for:` not yet met. */
export type AlertState = 'active' | 'suppressed' | 'pending';

export interface ConsoleAlert {
  fingerprint: string;
  name: string;
  state: AlertState;
  priority: Priority;
  severity?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  silencedBy: string[];
  inhibitedBy: string[];
  /** The rule's PromQL, from the generator URL (`g0.expr`) or the rule itself. */
  expr?: string;
  runbookUrl?: string;
  /** The bundled-runbook id named by a `runbook` annotation (the demo rules use it). */
  runbookId?: string;
}

export interface AlertGroup {
  key: string;
  alertname: string;
  namespace?: string;
  service?: string;
  /** The highest P-level among its active alerts (or among all, when none is active). */
  priority: Priority;
  active: number;
  silenced: number;
  inhibited: number;
  pending: number;
  /** Oldest start among its alerts. */
  since: string;
  alerts: ConsoleAlert[];
}

/** The PromQL in a Prometheus generator URL (`/graph?g0.expr=...`), if any. */
export function exprFromGeneratorUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).searchParams.get('g0.expr') ?? undefined;
  } catch {
    return undefined;
  }
}

const RANK: Readonly<Record<Priority, number>> = { P1: 0, P2: 1, P3: 2, P4: 3 };
// localeCompare's order with one collator made once (localeCompare looks one up on every call).
let collator: Intl.Collator | undefined;
const nameCollator = () => (collator ??= new Intl.Collator()).compare;
const rank = (p: Priority) => RANK[p];
const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const groupKeyOf = (labels: Record<string, string>): string =>
  `${labels.alertname ?? ''}\u0000${labels.namespace ?? ''}\u0000${labels.service ?? ''}`;

/**
 * Groups by alertname / namespace / service; most urgent group first, then most active, then name.
 * `groupKeys[i]`, when given, is `groupKeyOf(alerts[i].labels)` made earlier (kept between refreshes).
 */
export function groupAlerts(alerts: readonly ConsoleAlert[], groupKeys?: readonly string[]): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (let i = 0; i < alerts.length; i++) {
    const alert = alerts[i];
    const key = groupKeys ? groupKeys[i] : groupKeyOf(alert.labels);
    let group = groups.get(key);
    if (!group) {
      group = { key, alertname: alert.name, namespace: alert.labels.namespace, service: alert.labels.service, priority: 'P4', active: 0, silenced: 0, inhibited: 0, pending: 0, since: alert.startsAt, alerts: [] };
      groups.set(key, group);
    }
    group.alerts.push(alert);
    if (alert.state === 'active') group.active++;
    else if (alert.state === 'pending') group.pending++;
    else if (alert.silencedBy.length > 0) group.silenced++;
    else group.inhibited++;
    if (alert.startsAt < group.since) group.since = alert.startsAt;
  }
  for (const group of groups.values()) {
    const counted = group.active > 0 ? group.alerts.filter((a) => a.state === 'active') : group.alerts;
    group.priority = counted.reduce<Priority>((best, a) => (rank(a.priority) < rank(best) ? a.priority : best), 'P4');
    // Timestamps and fingerprints are ASCII: plain comparison orders them as localeCompare does, without ICU per pair.
    group.alerts.sort((a, b) => rank(a.priority) - rank(b.priority) || ordinal(a.startsAt, b.startsAt) || ordinal(a.fingerprint, b.fingerprint));
  }
  const live = (g: AlertGroup) => (g.active > 0 ? 0 : g.pending > 0 ? 1 : 2);
  const byName = nameCollator();
  return [...groups.values()].sort((a, b) => live(a) - live(b) || rank(a.priority) - rank(b.priority) || b.active - a.active || byName(a.alertname, b.alertname) || byName(a.key, b.key));
}

/** Matchers Alertmanager uses for silences. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** The matchers that silence exactly this alert's group: alertname plus namespace and service when set. */
export function groupMatchers(group: Pick<AlertGroup, 'alertname' | 'namespace' | 'service'>): SilenceMatcher[] {
  const m: SilenceMatcher[] = [{ name: 'alertname', value: group.alertname, isRegex: false, isEqual: true }];
  if (group.namespace) m.push({ name: 'namespace', value: group.namespace, isRegex: false, isEqual: true });
  if (group.service) m.push({ name: 'service', value: group.service, isRegex: false, isEqual: true });
  return m;
}

/** Alerts that are new P1/P2 actives since the previous answer (for desktop notifications). */
export function newUrgentAlerts(previous: ReadonlySet<string>, groups: readonly AlertGroup[]): ConsoleAlert[] {
  const fresh: ConsoleAlert[] = [];
  for (const g of groups) for (const a of g.alerts) if (a.state === 'active' && (a.priority === 'P1' || a.priority === 'P2') && !previous.has(a.fingerprint)) fresh.push(a);
  return fresh;
}
