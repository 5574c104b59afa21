import { describe, expect, it } from 'vitest';
import { KubeError } from '../../electron/core/kube/index.js';
import { toContractError } from '../../electron/core/rollouts/workload-reader.js';

const what = 'Deployment inference/web';

describe('Kubernetes failures become sentences with a next step', () => {
  it('409 Conflict: stale plan, prepare again', () => {
    const e = toContractError(new KubeError('Operation cannot be fulfilled on deployments.apps "web": the object has been modified', 409, 'Conflict'), what);
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/changed since the plan was made.*Nothing was changed\. Prepare the action again/);
  });
  it('404: the target is gone', () => {
    const e = toContractError(new KubeError('deployments.apps "web" not found', 404, 'NotFound'), what);
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/no longer exists/);
  });
  it('an admission webhook denial names the webhook and asks for a fresh plan', () => {
    const e = toContractError(new KubeError('admission webhook "policy.example.com" denied the request: image tag "latest" is not allowed', 400, 'BadRequest'), what);
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/admission webhook rejected the change to Deployment inference\/web: admission webhook "policy.example.com" denied.*prepare a fresh plan/);
  });
  it('says what was already applied when a later request of the plan fails', () => {
    const e = toContractError(new KubeError('rollouts.argoproj.io "rec" not found', 404), 'Rollout inference/rec', ['PATCH /apis/argoproj.io/v1alpha1/namespaces/inference/rollouts/rec']);
    expect(e.message).toMatch(/already applied before the failure: PATCH/);
    expect(e.message).not.toMatch(/Nothing was changed/);
  });
  it('an unreachable server is upstream_unavailable', () => {
    expect(toContractError(new KubeError('connection refused', 0), what).code).toBe('upstream_unavailable');
  });
});
