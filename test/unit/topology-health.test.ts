import { describe, expect, it } from 'vitest';
import { deploymentHealth, jobHealth, nodeHealth, podHealth, rolloutHealth } from '../../shared/model/health.js';
import type { KubeObject } from '../../shared/model/kube.js';

const pod = (status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: 'p', ...meta }, status });

describe('health reasons', () => {
  it('names the pod failures an SRE looks for', () => {
    expect(podHealth(pod({ phase: 'Running', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }))).toEqual({ h: 'failing', r: 'CrashLoopBackOff' });
    expect(podHealth(pod({ phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff' } } }] }))).toEqual({ h: 'failing', r: 'ImagePullBackOff' });
    expect(podHealth(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }))).toEqual({ h: 'failing', r: 'Pending: Unschedulable' });
    expect(podHealth(pod({ phase: 'Pending' }))).toEqual({ h: 'warning', r: 'Pending' });
    expect(podHealth(pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: false }] })).h).toBe('warning');
    expect(podHealth(pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true }] }))).toEqual({ h: 'ok' });
    expect(podHealth(pod({ phase: 'Running' }, { deletionTimestamp: '2026-01-01T00:00:00Z' }))).toEqual({ h: 'warning', r: 'Terminating' });
    expect(podHealth(pod({}))).toEqual({ h: 'unknown', r: 'no status yet' });
  });

  it('marks NotReady and pressured nodes', () => {
    expect(nodeHealth({ metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } })).toEqual({ h: 'failing', r: 'NotReady' });
    expect(nodeHealth({ metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'DiskPressure', status: 'True' }] } })).toEqual({ h: 'warning', r: 'DiskPressure' });
    expect(nodeHealth({ metadata: { name: 'n' }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }).r).toMatch(/cordoned/);
  });

  it('reads deployment, job and rollout conditions', () => {
    const d = (status: Record<string, unknown>, spec: Record<string, unknown> = { replicas: 3 }): KubeObject => ({ metadata: { name: 'd' }, spec, status });
    expect(deploymentHealth(d({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }))).toEqual({ h: 'failing', r: 'ProgressDeadlineExceeded' });
    expect(deploymentHealth(d({ readyReplicas: 2, updatedReplicas: 3 }))).toEqual({ h: 'warning', r: '2/3 replicas ready' });
    expect(deploymentHealth(d({ readyReplicas: 3, updatedReplicas: 3 }))).toEqual({ h: 'ok' });
    expect(jobHealth({ metadata: { name: 'j' }, status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] } })).toEqual({ h: 'failing', r: 'BackoffLimitExceeded' });
    expect(rolloutHealth({ metadata: { name: 'r' }, status: { phase: 'Degraded', message: 'canary failed analysis' } })).toEqual({ h: 'failing', r: 'Degraded: canary failed analysis' });
  });
});
