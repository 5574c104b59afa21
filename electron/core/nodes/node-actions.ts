// The node actions on the action road: node.cordon, node.uncordon and node.drain. Drain's plan
// dry-runs every eviction (dryRun=All) so the confirm dialog already names the pods a
// PodDisruptionBudget holds; execute sends the planned requests once and reports each pod the
// server refused with its reason (unlike `kubectl drain`, it does not retry a 429 until a timeout:
// the user sees who is blocked and decides).
import { z } from 'zod';
import type { KubeConfig } from '@kubernetes/client-node';
import { ContractError } from '../../../shared/contract-kit.js';
import type { ActionTarget, PlannedRequest } from '../../../shared/contract/actions.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import { defineActionHandler, type ActionDraft, type ActionHandler } from '../actions/index.js';
import { KubeError, kubeRequest } from '../kube/index.js';
import { drainAccess, nodeAccess, nodePath, planCordon, planDrain, podsOnNodePath, skipReason } from './node-plans.js';

export interface NodeActionDeps {
  configFor(context: string): KubeConfig;
}

const noParams = z.object({}).strict();
type NoParams = z.infer<typeof noParams>;

function upstream(error: unknown, what: string): ContractError {
  if (error instanceof ContractError) return error;
  if (error instanceof KubeError) {
    if (error.status === 404) return new ContractError('not_found', `${what} does not exist (any more).`);
    return new ContractError('upstream_error', `${what}: ${error.detail}`);
  }
  return new ContractError('upstream_error', `${what}: ${error instanceof Error ? error.message : String(error)}`);
}

async function readNode(kc: KubeConfig, name: string): Promise<KubeObject> {
  try {
    return await kubeRequest<KubeObject>(kc, { method: 'GET', path: nodePath(name) });
  } catch (error) {
    throw upstream(error, `Node ${name}`);
  }
}

async function send(kc: KubeConfig, request: PlannedRequest): Promise<void> {
  await kubeRequest(kc, request);
}

const isEviction = (r: PlannedRequest) => r.method === 'POST' && r.path.endsWith('/eviction');
const podOfEviction = (r: PlannedRequest) => {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(r.path);
  return m ? `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}` : r.path;
};

/** Why the server refused an eviction, as it said it (429: a disruption budget). */
const refusal = (error: unknown) =>
  error instanceof KubeError ? `${error.detail} (HTTP ${error.status}${error.reason ? ` ${error.reason}` : ''})` : error instanceof Error ? error.message : String(error);

export interface DrainReport {
  evicted: string[];
  gone: string[];
  refused: Array<{ pod: string; reason: string }>;
}

/** Sends a drain plan's writes in order: the cordon first (a failure stops everything), then each eviction. */
export async function runDrain(kc: KubeConfig, node: string, draft: ActionDraft): Promise<DrainReport> {
  const report: DrainReport = { evicted: [], gone: [], refused: [] };
  for (const request of draft.requests) {
    if (request.method === 'GET') continue;
    if (!isEviction(request)) {
      try {
        await send(kc, request);
      } catch (error) {
        throw upstream(error, `Cordoning node ${node}`);
      }
      continue;
    }
    const pod = podOfEviction(request);
    try {
      await send(kc, request);
      report.evicted.push(pod);
    } catch (error) {
      // A pod that left on its own since the plan is what drain wanted.
      if (error instanceof KubeError && error.status === 404) report.gone.push(pod);
      else report.refused.push({ pod, reason: refusal(error) });
    }
  }
  return report;
}

export function drainMessage(node: string, report: DrainReport): string {
  const parts = [`Node ${node} cordoned; ${report.evicted.length} pod${report.evicted.length === 1 ? '' : 's'} evicted`];
  if (report.gone.length) parts.push(`${report.gone.length} already gone`);
  let text = `${parts.join(', ')}.`;
  if (report.refused.length) {
    text += ` ${report.refused.length} could not be evicted: ${report.refused.map((r) => `${r.pod}: ${r.reason}`).join('; ')}. Drain again once the budget allows it.`;
  }
  return text;
}

async function dryRunRefusals(kc: KubeConfig, pods: KubeObject[]): Promise<Map<string, string>> {
  const refusals = new Map<string, string>();
  await Promise.all(
    pods
      .filter((p) => !skipReason(p))
      .map(async (p) => {
        const namespace = p.metadata.namespace ?? 'default';
        const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(p.metadata.name)}/eviction?dryRun=All`;
        try {
          await kubeRequest(kc, { method: 'POST', path, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.metadata.name, namespace }, deleteOptions: { dryRun: ['All'] } } });
        } catch (error) {
          if (!(error instanceof KubeError && error.status === 404)) refusals.set(`${namespace}/${p.metadata.name}`, refusal(error));
        }
      }),
  );
  return refusals;
}

const nodeTarget = (target: ActionTarget) => {
  if (target.namespace) throw new ContractError('invalid_request', 'Nodes are not namespaced: leave the namespace out.');
  return target.name;
};

export function createNodeActionHandlers(deps: NodeActionDeps): ActionHandler<never>[] {
  const cordonHandler = (cordon: boolean) =>
    defineActionHandler<NoParams>({
      action: cordon ? 'node.cordon' : 'node.uncordon',
      kinds: ['Node'],
      params: noParams,
      access: (target) => [nodeAccess(target.name)],
      async plan({ context, target }) {
        return planCordon(await readNode(deps.configFor(context), nodeTarget(target)), cordon);
      },
      async execute({ context, target }, draft) {
        const kc = deps.configFor(context);
        for (const request of draft.requests.filter((r) => r.method !== 'GET')) {
          try {
            await send(kc, request);
          } catch (error) {
            throw upstream(error, `Node ${target.name}`);
          }
        }
        return { message: `Node ${target.name} ${cordon ? 'cordoned' : 'uncordoned'}.` };
      },
    });

  const drain = defineActionHandler<NoParams>({
    action: 'node.drain',
    kinds: ['Node'],
    params: noParams,
    access: (target) => drainAccess(target.name),
    async plan({ context, target }) {
      const kc = deps.configFor(context);
      const node = await readNode(kc, nodeTarget(target));
      let pods: KubeObject[];
      try {
        pods = (await kubeRequest<{ items: KubeObject[] }>(kc, { method: 'GET', path: podsOnNodePath(target.name) })).items;
      } catch (error) {
        throw upstream(error, `Pods of node ${target.name}`);
      }
      return planDrain({ node, pods, refusals: await dryRunRefusals(kc, pods) });
    },
    async execute({ context, target }, draft) {
      const report = await runDrain(deps.configFor(context), target.name, draft);
      const message = drainMessage(target.name, report);
      // Not drained: the audit log records a failure, and the dialog shows who stayed and why.
      if (report.refused.length) throw new ContractError('conflict', message);
      return { message };
    },
  });

  return [cordonHandler(true), cordonHandler(false), drain].map((h) => h as ActionHandler<never>);
}
