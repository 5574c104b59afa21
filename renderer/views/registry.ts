// Every view of the console: its route, its nav title (also its accessible name) and whether it
// is built. Views that are not built yet say so plainly instead of pretending.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { prefetchAlerts } from '../stores/alerts-store';
import { useAppStore } from '../stores/app-store';

export interface ViewDef {
  /** The route (#/<id>); unique. A view is added by one entry in VIEWS, nothing else. */
  id: string;
  title: string;
  /** Shown on the not-built page and in the palette. */
  purpose: string;
  icon: string;
  /** Set when the view is built: `component: lazy(() => import('./x/XView'))`, loaded on first visit. */
  component?: LazyExoticComponent<ComponentType>;
  /** Single key after `g` to jump here (k9s-like). */
  key: string;
  /**
   * Asks for the view's first data as its route opens, while its code is still loading (a
   * 5,000-alert answer is then on its way during the chunk load and the mount, not after them).
   */
  opening?: () => void;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'topology', title: 'Topology', icon: '◉', key: 't', purpose: 'What runs where: services, workloads, pods, nodes and GPUs, live.', component: lazy(() => import('./topology/TopologyView')) },
  { id: 'resources', title: 'Resources', icon: '▤', key: 'k', purpose: 'Every kind the cluster serves, built-in or custom, as kubectl get prints it, live; details, YAML, edit and delete.', component: lazy(() => import('./browser/BrowserView')) },
  { id: 'gpus', title: 'GPUs', icon: '▦', key: 'g', purpose: 'GPU utilization heatmaps, hot and failing GPUs, allocated-but-idle capacity.', component: lazy(() => import('./gpu/GpuView')) },
  { id: 'metrics', title: 'Metrics & SLOs', icon: '∿', key: 'm', purpose: 'Inference service request rate, errors, latency, error budgets and burn rates.', component: lazy(() => import('./metrics/MetricsView')) },
  { id: 'rollouts', title: 'Rollouts', icon: '⇪', key: 'r', purpose: 'Deployments and Argo Rollouts: progress, history, and safe actions.', component: lazy(() => import('./rollouts/RolloutsView')) },
  { id: 'runbooks', title: 'Runbooks', icon: '☰', key: 'b', purpose: 'Markdown runbooks with runnable steps and a saved run journal.', component: lazy(() => import('./runbooks/RunbooksView')) },
  { id: 'terminal', title: 'Terminal', icon: '›_', key: 'x', purpose: 'Pod exec and a local shell bound to the console’s context.', component: lazy(() => import('./terminal/TerminalView')) },
  { id: 'logs', title: 'Logs', icon: '≣', key: 'l', purpose: 'Pod logs and Loki queries, followed live and searchable.', component: lazy(() => import('./logs/LogsView')) },
  { id: 'alerts', title: 'Alerts', icon: '⚠', key: 'a', purpose: 'Prometheus and Alertmanager alerts, silences.', component: lazy(() => import('./alerts/AlertsView')), opening: () => prefetchAlerts(useAppStore.getState().activeContext) },
  { id: 'incidents', title: 'Incidents', icon: '✚', key: 'i', purpose: 'Incident timeline, notes and report export.', component: lazy(() => import('./incidents/IncidentsView')) },
  { id: 'warroom', title: 'War room', icon: '▣', key: 'w', purpose: 'A big, read-only wall screen for the incident room.', component: lazy(() => import('./warroom/WarRoomView')) },
  { id: 'audit', title: 'Audit log', icon: '✓', key: 'u', purpose: 'Every change and refused call: who, where, what, outcome; export as JSON lines or CSV.', component: lazy(() => import('./audit/AuditView')) },
  { id: 'settings', title: 'Settings', icon: '⚙', key: 's', purpose: 'Prometheus, Alertmanager and log store per context; production pattern, GPU price, theme.', component: lazy(() => import('./settings/SettingsView')) },
];

export const viewById = (id: string): ViewDef | undefined => VIEWS.find((v) => v.id === id);
