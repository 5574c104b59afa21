// The alerts list as flat rows for the virtualized table: firing groups first, then a section of
// groups that are wholly silenced or inhibited; a group's alerts follow it unless it is collapsed.
import type { AlertGroup, ConsoleAlert } from '../../../shared/model/alert';

export type AlertRow =
  | { kind: 'section'; key: string; label: string }
  | { kind: 'group'; key: string; group: AlertGroup }
  | { kind: 'alert'; key: string; group: AlertGroup; alert: ConsoleAlert };

function matches(alert: ConsoleAlert, filter: string): boolean {
  if (alert.name.toLowerCase().includes(filter) || alert.priority.toLowerCase() === filter) return true;
  for (const v of Object.values(alert.labels)) if (v.toLowerCase().includes(filter)) return true;
  return false;
}

export function alertRows(groups: readonly AlertGroup[], filter: string, collapsed: ReadonlySet<string>): { rows: AlertRow[]; shownAlerts: number; shownGroups: number } {
  const f = filter.trim().toLowerCase();
  const rows: AlertRow[] = [];
  let shownAlerts = 0;
  let shownGroups = 0;
  let sectionAdded = false;
  for (const group of groups) {
    const alerts = f ? group.alerts.filter((a) => matches(a, f)) : group.alerts;
    if (alerts.length === 0) continue;
    const quiet = group.active === 0 && group.pending === 0;
    if (quiet && !sectionAdded) {
      rows.push({ kind: 'section', key: 'section:quiet', label: 'Silenced and inhibited' });
      sectionAdded = true;
    }
    shownGroups++;
    shownAlerts += alerts.length;
    rows.push({ kind: 'group', key: `g:${group.key}`, group });
    if (!collapsed.has(group.key)) for (const alert of alerts) rows.push({ kind: 'alert', key: `a:${alert.fingerprint}`, group, alert });
  }
  return { rows, shownAlerts, shownGroups };
}
