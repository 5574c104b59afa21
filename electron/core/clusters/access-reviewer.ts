// RBAC verdicts from the cluster itself: one SelfSubjectAccessReview per permission a plan needs,
// asked as the context's own user. Verdicts are cached briefly: buttons ask often, RBAC changes rarely.
import { AuthorizationV1Api } from '@kubernetes/client-node';
import type { AccessCheck } from '../../../shared/contract/actions.js';
import type { AccessReviewer } from '../actions/index.js';
import { configForContext, type LoadedKubeconfig } from './kubeconfig-sources.js';

const CACHE_MS = 30_000;

export function createAccessReviewer(loaded: () => LoadedKubeconfig, now: () => number = Date.now): AccessReviewer {
  const cache = new Map<string, { at: number; allowed: boolean; reason?: string }>();
  return {
    userOf(context) {
      return loaded().config.getContextObject(context)?.user;
    },
    async review(context, checks) {
      const api = configForContext(loaded(), context).makeApiClient(AuthorizationV1Api);
      return Promise.all(
        checks.map(async (check: AccessCheck) => {
          const key = `${context}\u0000${JSON.stringify(check)}`;
          const hit = cache.get(key);
          if (hit && now() - hit.at < CACHE_MS) return { allowed: hit.allowed, reason: hit.reason };
          const review = await api.createSelfSubjectAccessReview({
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: { resourceAttributes: { ...check } },
            },
          });
          const verdict = { allowed: review.status?.allowed === true, reason: review.status?.reason || undefined };
          cache.set(key, { at: now(), ...verdict });
          return verdict;
        }),
      );
    },
  };
}
