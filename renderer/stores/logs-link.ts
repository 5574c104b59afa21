// How other views open the Logs view: a hash route naming what to follow, so Topology, Rollouts,
// an alert and a runbook step each add one link and nothing else (views never import each other).
// #/logs?ns=<namespace>&pod=<pod>[&container=<c>] | &kind=<WorkloadKind>&name=<n> | &selector=<sel>
import type { LogTarget, LogWorkloadKind } from '../../shared/contract/logs';
import { kubectlCallsOfStep } from '../../shared/model/runbook-kubectl';

export interface LogsLink {
  namespace: string;
  target: LogTarget;
  container?: string;
  /** The context to follow in; the active one when absent. */
  context?: string;
}

const WORKLOAD_KINDS: readonly LogWorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Rollout', 'ReplicaSet'];

/** Whether the Logs view can follow this kind of object (pods and workloads). */
export const canShowLogs = (kind: string): boolean => kind === 'Pod' || (WORKLOAD_KINDS as readonly string[]).includes(kind);

export function logsHref(link: LogsLink): string {
  const p = new URLSearchParams({ ns: link.namespace });
  if (link.target.kind === 'pod') p.set('pod', link.target.pod);
  else if (link.target.kind === 'workload') {
    p.set('kind', link.target.workloadKind);
    p.set('name', link.target.name);
  } else p.set('selector', link.target.selector);
  if (link.container) p.set('container', link.container);
  if (link.context) p.set('context', link.context);
  return `#/logs?${p.toString()}`;
}

/** A kind and name as other views hold them ('Pod', 'Deployment', …) to a Logs link, when it has logs. */
export function logsHrefFor(kind: string, namespace: string | undefined, name: string, context?: string): string | undefined {
  if (!namespace || !canShowLogs(kind)) return undefined;
  const target: LogTarget = kind === 'Pod' ? { kind: 'pod', pod: name } : { kind: 'workload', workloadKind: kind as LogWorkloadKind, name };
  return logsHref({ namespace, target, context });
}

/** The link in a #/logs?… hash, or undefined when it names nothing to follow. */
export function parseLogsHash(hash: string): LogsLink | undefined {
  const query = hash.split('?')[1];
  if (!query) return undefined;
  const p = new URLSearchParams(query);
  const namespace = p.get('ns');
  if (!namespace) return undefined;
  const pod = p.get('pod');
  const kind = p.get('kind');
  const name = p.get('name');
  const selector = p.get('selector');
  let target: LogTarget | undefined;
  if (pod) target = { kind: 'pod', pod };
  else if (kind && name && (WORKLOAD_KINDS as readonly string[]).includes(kind)) target = { kind: 'workload', workloadKind: kind as LogWorkloadKind, name };
  else if (selector) target = { kind: 'selector', selector };
  if (!target) return undefined;
  return { namespace, target, container: p.get('container') ?? undefined, context: p.get('context') ?? undefined };
}

const TYPE_OF: Record<string, LogWorkloadKind | 'pod'> = {
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  job: 'Job',
  jobs: 'Job',
  rs: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rollout: 'Rollout',
  rollouts: 'Rollout',
  ro: 'Rollout',
};
const VALUE_FLAGS = new Set(['-n', '--namespace', '-c', '--container', '-l', '--selector', '--context', '--kubeconfig', '--tail', '--since', '--since-time', '--max-log-requests', '--limit-bytes', '--pod-running-timeout']);

/**
 * What a runbook step's `kubectl logs …` follows (`POD`, `TYPE/NAME` or `-l SELECTOR`, with -n and
 * -c), so the step can open it in the Logs view. `words` are kubectl's arguments after "kubectl".
 */
export function logsLinkOfArgs(words: readonly string[]): LogsLink | undefined {
  let namespace = 'default';
  let container: string | undefined;
  let selector: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const a = words[i];
    const eq = /^(--[a-z-]+)=(.*)$/.exec(a);
    const flag = eq ? eq[1] : a;
    const value = eq ? eq[2] : words[i + 1];
    if (flag === '-n' || flag === '--namespace') namespace = value;
    else if (flag === '-c' || flag === '--container') container = value;
    else if (flag === '-l' || flag === '--selector') selector = value;
    if (VALUE_FLAGS.has(flag)) {
      if (!eq) i++;
      continue;
    }
    if (!a.startsWith('-')) positional.push(a);
  }
  if (positional[0] !== 'logs' || !namespace || /[{}$]/.test(namespace)) return undefined;
  const arg = positional[1];
  if (!arg) return selector ? { namespace, target: { kind: 'selector', selector }, container } : undefined;
  if (/[{}$<>]/.test(arg)) return undefined;
  const slash = arg.indexOf('/');
  if (slash < 0) return { namespace, target: { kind: 'pod', pod: arg }, container };
  const type = TYPE_OF[arg.slice(0, slash).toLowerCase().split('.')[0]];
  const name = arg.slice(slash + 1);
  if (!type || !name) return undefined;
  return { namespace, target: type === 'pod' ? { kind: 'pod', pod: name } : { kind: 'workload', workloadKind: type, name }, container };
}

/** The one `kubectl logs` a runbook step runs, if exactly one. */
export function logsLinkOfStep(kind: string, code: string): LogsLink | undefined {
  const found = kubectlCallsOfStep(kind, code)
    .map(logsLinkOfArgs)
    .filter((l): l is LogsLink => l !== undefined);
  return found.length === 1 ? found[0] : undefined;
}
