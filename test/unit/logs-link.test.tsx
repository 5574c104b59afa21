// How other views open the Logs view: the #/logs link round-trips its target, only pods and
// workloads get one, and a runbook step's `kubectl logs …` names what to follow.
import { describe, expect, it } from 'vitest';
import { logsHref, logsHrefFor, logsLinkOfStep, parseLogsHash } from '../../renderer/stores/logs-link';

describe('logs links', () => {
  it('round-trips a pod, a workload and a selector through the hash', () => {
    for (const link of [
      { namespace: 'inference', target: { kind: 'pod' as const, pod: 'llm-gateway-7d9-abcde' }, container: 'vllm' },
      { namespace: 'inference', target: { kind: 'workload' as const, workloadKind: 'Rollout' as const, name: 'ranker' }, context: 'prod-eu' },
      { namespace: 'web', target: { kind: 'selector' as const, selector: 'app=web,tier!=cache' } },
    ]) {
      expect(parseLogsHash(logsHref(link))).toEqual(link);
    }
    expect(parseLogsHash('#/logs')).toBeUndefined();
    expect(parseLogsHash('#/logs?ns=web&kind=Service&name=x')).toBeUndefined();
  });

  it('offers logs for pods and workloads, not for nodes or services', () => {
    expect(logsHrefFor('Pod', 'ns', 'p')).toBe('#/logs?ns=ns&pod=p');
    expect(logsHrefFor('Deployment', 'ns', 'd')).toBe('#/logs?ns=ns&kind=Deployment&name=d');
    expect(logsHrefFor('Node', undefined, 'n')).toBeUndefined();
    expect(logsHrefFor('Service', 'ns', 's')).toBeUndefined();
  });

  it('reads the one kubectl logs of a runbook step', () => {
    expect(logsLinkOfStep('kubectl', 'logs -n inference deploy/llm-gateway --since=10m')).toEqual({ namespace: 'inference', target: { kind: 'workload', workloadKind: 'Deployment', name: 'llm-gateway' } });
    expect(logsLinkOfStep('sh', 'kubectl logs --namespace=inference -l app=embedder -c tei --tail 100 | grep ERROR')).toEqual({ namespace: 'inference', target: { kind: 'selector', selector: 'app=embedder' }, container: 'tei' });
    expect(logsLinkOfStep('kubectl', 'logs embedder-0 -n inference')).toEqual({ namespace: 'inference', target: { kind: 'pod', pod: 'embedder-0' } });
    expect(logsLinkOfStep('kubectl', 'get pods -n inference')).toBeUndefined();
    expect(logsLinkOfStep('kubectl', 'logs -n {{namespace}} deploy/x')).toBeUndefined();
    expect(logsLinkOfStep('promql', 'logs x')).toBeUndefined();
  });
});
