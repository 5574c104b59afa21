// Admission of the demo API's cluster kinds without kubectl: quota usage and refusal, the
// disruption budget's status and the eviction check (allowed evictions are counted against it).
import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../electron/demo/store.js';
import type { KubeObject } from '../../electron/demo/store.js';
import { admitQuota, formatQuantity, quotaUsed } from '../../electron/demo/api/admission/quota.js';
import { admitEviction, budgetStatus } from '../../electron/demo/api/admission/disruption.js';
import { ApiError } from '../../electron/demo/api/status.js';
import { checkApproval } from '../../electron/demo/api/admission/approval.js';
import { findResource } from '../../electron/demo/api/registry.js';

const NOW = '2026-01-01T00:00:00Z';

const pod = (name: string, ready: boolean, cpu = '250m'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', labels: { app: 'a' } },
  spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu, memory: '1Gi' } } }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function caught(fn: () => void): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('ResourceQuota', () => {
  it('sums usage of the hard resources in the quota namespace only, skipping finished pods', () => {
    const store = new ObjectStore();
    store.create('pods', pod('a', true));
    store.create('pods', pod('b', true, '1'));
    store.create('pods', { ...pod('done', true), status: { phase: 'Succeeded' } });
    store.create('pods', { ...pod('other', true), metadata: { name: 'other', namespace: 'elsewhere' } });
    const quota = store.create('resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ns' }, spec: { hard: { pods: '3', 'requests.cpu': '2', 'requests.memory': '4Gi' } } });
    expect(quotaUsed(store, quota)).toEqual({ pods: '2', 'requests.cpu': '1250m', 'requests.memory': '2Gi' });
    expect(formatQuantity(1.25, '2')).toBe('1250m');
    const err = caught(() => admitQuota(store, 'pods', 'pods', pod('c', false, '1')));
    expect(err.code).toBe(403);
    expect(err.status.message).toBe('pods "c" is forbidden: exceeded quota: q, requested: requests.cpu=1, used: requests.cpu=1250m, limited: requests.cpu=2');
    expect(() => admitQuota(store, 'pods', 'pods', pod('d', false, '500m'))).not.toThrow();
  });
});

describe('PodDisruptionBudget', () => {
  const pdb = (minAvailable: number | string): KubeObject => ({
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guard', namespace: 'ns', generation: 1 }, spec: { minAvailable, selector: { matchLabels: { app: 'a' } } },
  });

  it('computes healthy, desired and allowed disruptions (percentages round up)', () => {
    const store = new ObjectStore();
    for (const [i, ready] of [true, true, true, false].entries()) store.create('pods', pod(`p${i}`, ready));
    expect(budgetStatus(store, pdb('50%'), NOW)).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 4, disruptionsAllowed: 1 });
    expect(budgetStatus(store, pdb(3), NOW)).toMatchObject({ disruptionsAllowed: 0, conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }] });
  });

  it('refuses an eviction with the 429 and counts an allowed one against the budget', () => {
    const store = new ObjectStore();
    for (const i of [0, 1, 2]) store.create('pods', pod(`p${i}`, true));
    store.create('poddisruptionbudgets.policy', pdb(2));
    admitEviction(store, store.peekOne('pods', 'ns', 'p0')!, NOW, false);
    const status = store.peekOne('poddisruptionbudgets.policy', 'ns', 'guard')?.status as { disruptionsAllowed: number; disruptedPods: Record<string, string> };
    expect(status.disruptionsAllowed).toBe(0);
    expect(Object.keys(status.disruptedPods)).toEqual(['p0']);
    const err = caught(() => admitEviction(store, store.peekOne('pods', 'ns', 'p1')!, NOW, false));
    expect(err.code).toBe(429);
    expect(err.status.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(err.status.details?.causes?.[0]).toMatchObject({ reason: 'DisruptionBudget', message: 'The disruption budget guard needs 2 healthy pods and has 3 currently' });
  });
});

describe('CertificateSigningRequest approval', () => {
  const csrs = findResource('certificates.k8s.io', 'v1', 'certificatesigningrequests')!;
  const csr = (...types: string[]) => ({ metadata: { name: 'alice' }, status: { conditions: types.map((type) => ({ type, status: 'True' })) } });
  it('keeps Approved and Denied exclusive and permanent', () => {
    expect(() => checkApproval(csrs, csr('Approved'), csr())).not.toThrow();
    expect(caught(() => checkApproval(csrs, csr('Approved', 'Denied'), csr('Approved'))).status.message).toBe(
      'CertificateSigningRequest.certificates.k8s.io "alice" is invalid: status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
    );
    expect(caught(() => checkApproval(csrs, csr(), csr('Denied'))).code).toBe(422);
  });
});
