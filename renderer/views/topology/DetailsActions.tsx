// Actions where the user looks: the selected object's buttons in Topology's details, the same
// handlers and confirm dialog as Rollouts (scale, restart, undo for workloads), node cordon /
// uncordon / drain, and pod delete through the resource browser's generic handler. Each button
// asks actions.available and says why it is disabled.
import { useState } from 'react';
import { parse } from 'yaml';
import type { ActionTarget } from '../../../shared/contract/actions';
import type { Details } from '../../../shared/contract/topology';
import { ActionButton } from '../../components/ActionButton';
import { ActionConfirmDialog } from '../../components/ConfirmDialog';
import { availabilityKey, targetKey, useActionsStore, verdictOf, type PendingAction } from '../../stores/actions-store';
import { useAppStore } from '../../stores/app-store';
import { openTerminal } from '../../stores/terminal-store';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'Rollout']);
/** The resource browser names a kind by its resource (plural.version.group); a pod is `pods.v1`. */
const POD_KIND = 'pods.v1';

const LABELS: Record<string, string> = {
  scale: 'Scale',
  restart: 'Restart',
  undo: 'Undo',
  'node.cordon': 'Cordon',
  'node.uncordon': 'Uncordon',
  'node.drain': 'Drain',
  'resource.delete': 'Delete',
};

const titleOf = (request: PendingAction) =>
  `${LABELS[request.action] ?? request.action} ${request.target.kind === POD_KIND ? 'Pod' : request.target.kind} ${request.target.namespace ? `${request.target.namespace}/` : ''}${request.target.name}`;

interface Shape {
  spec?: { replicas?: number; unschedulable?: boolean };
}

function shapeOf(yamlText: string): Shape {
  try {
    return (parse(yamlText) ?? {}) as Shape;
  } catch {
    return {};
  }
}

export function DetailsActions({ context, details }: { context: string; details: Details }) {
  const shape = shapeOf(details.yaml);
  const [replicas, setReplicas] = useState(shape.spec?.replicas ?? 1);
  const lastResult = useActionsStore((s) => s.lastResult);
  const readOnly = useAppStore((s) => s.info?.readOnly ?? false);
  const isWorkload = WORKLOADS.has(details.kind);
  const isNode = details.kind === 'Node';
  const isPod = details.kind === 'Pod';
  const target: ActionTarget = { kind: isPod ? POD_KIND : details.kind, namespace: details.namespace, name: details.name };
  const entry = useActionsStore((s) => s.availability[availabilityKey(context, target)]);
  if (!isWorkload && !isNode && !isPod) return null;
  const shown = isWorkload ? ['scale', 'restart', 'undo'] : isNode ? [shape.spec?.unschedulable ? 'node.uncordon' : 'node.cordon', 'node.drain'] : ['resource.delete'];
  // Said in words too, not only in tooltips: one line per distinct reason.
  const denied = [...new Set(shown.map((a) => verdictOf(entry, a, readOnly)).filter((v) => v.offered && v.allowed === false && v.reason).map((v) => v.reason))];
  const button = (action: string, params?: Record<string, unknown>) => <ActionButton context={context} target={target} action={action} params={params} label={LABELS[action] ?? action} />;
  const podNamespace = details.namespace;
  const mine = lastResult && lastResult.context === context && targetKey(lastResult.target) === targetKey(target);
  return (
    <section aria-label="Actions" data-testid="details-actions">
      <h3>Actions</h3>
      <div className="details-actions">
        {isWorkload && (
          <>
            <span className="scale-control">
              <input type="number" min={0} max={10000} value={replicas} onChange={(e) => setReplicas(Number(e.target.value))} aria-label="Replicas" data-testid="scale-replicas" />
              {button('scale', { replicas })}
            </span>
            {button('restart')}
            {button('undo', { toRevision: 0 })}
          </>
        )}
        {isNode && (shape.spec?.unschedulable ? button('node.uncordon') : button('node.cordon'))}
        {isNode && button('node.drain')}
        {isPod && button('resource.delete')}
        {isPod && podNamespace && (
          <button type="button" disabled={readOnly} title={readOnly ? 'A read-only screen opens no terminal.' : 'A shell in this pod, in the Terminal view'} onClick={() => openTerminal({ kind: 'exec', context, namespace: podNamespace, pod: details.name })}>
            Shell
          </button>
        )}
      </div>
      {denied.length > 0 && (
        <ul className="plain muted" aria-label="Why actions are disabled" data-testid="actions-denied">
          {denied.map((r) => (
            <li key={r}>Not allowed — {r}</li>
          ))}
        </ul>
      )}
      {mine && (
        <p className={lastResult.ok ? 'health-ok' : 'health-failing'} role="status" data-testid="action-result">
          {lastResult.ok ? '✓ ' : '✕ '}
          {lastResult.message}
        </p>
      )}
      <ActionConfirmDialog titleOf={titleOf} />
    </section>
  );
}
