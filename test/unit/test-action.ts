// An action handler defined by the tests: it "scales" an in-memory counter, so the road can be
// exercised without a cluster.
import { z } from 'zod';
import { ContractError } from '../../shared/contract-kit.js';
import { defineActionHandler, type AccessReviewer, type ActionHandler } from '../../electron/core/actions/index.js';

export function counterAction(state: { replicas: number; executions: number }): ActionHandler<never> {
  // Handlers are registered type-erased, as the rollouts domain does.
  const handler = defineActionHandler({
    action: 'scale',
    kinds: ['Counter'],
    params: z.object({ replicas: z.number().int().min(0) }).strict(),
    access: (target) => [{ verb: 'patch', group: 'test', resource: 'counters', subresource: 'scale', namespace: target.namespace, name: target.name }],
    async plan({ target, params }) {
      if (params.replicas === state.replicas) throw new ContractError('conflict', `${target.name} already has ${params.replicas} replicas`);
      return {
        summary: `Scale ${target.name} from ${state.replicas} to ${params.replicas}`,
        diff: `-replicas: ${state.replicas}\n+replicas: ${params.replicas}\n`,
        requests: [{ method: 'PATCH' as const, path: `/counters/${target.name}/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: params.replicas } } }],
        access: [{ verb: 'patch', group: 'test', resource: 'counters', subresource: 'scale', namespace: target.namespace, name: target.name }],
      };
    },
    async execute({ params }) {
      state.replicas = params.replicas;
      state.executions++;
      return { message: `scaled to ${params.replicas}` };
    },
  });
  return handler as unknown as ActionHandler<never>;
}

export function fixedReviewer(allowed: boolean): AccessReviewer {
  return {
    userOf: () => 'tester',
    review: async (_context, checks) => checks.map(() => (allowed ? { allowed: true } : { allowed: false, reason: 'no RBAC policy matched' })),
  };
}
