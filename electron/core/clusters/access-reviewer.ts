// RBAC verdicts from the cluster itself: one SelfSubjectAccessReview per permission a plan needs,
// asked as the context's own user. Verdicts are cached briefly: buttons ask often, RBAC changes rarely.
import type { AccessCheck } from '../../../shared/contract/actions.js';
import type { AccessReviewer } from '../actions/index.js';
import { apiVersionOf, collectionPath, kubeRequest, KINDS } from '../kube/index.js';
import { configForContext, type LoadedKubeconfig } from './kubeconfig-sources.js';

const CACHE_MS = 30_000;

export function createAccessReviewer(loaded: () => LoadedKubeconfig, now: () => number = Date.now): AccessReviewer {
  const cache = new Map<string, { at: number; allowed: boolean; reason?: string }>();
  return {
    userOf(context) {
      return loaded().config.getContextObject(context)?.user;
    },
    async review(context, checks) {
      const kc = configForContext(loaded(), context);
      const review = KINDS.SelfSubjectAccessReview;
      return Promise.all(
        checks.map(async (check: AccessCheck) => {
          const key = `${context}\u0000${JSON.stringify(check)}`;
          const hit = cache.get(key);
          if (hit && now() - hit.at < CACHE_MS) return { allowed: hit.allowed, reason: hit.reason };
          const answer = await kubeRequest<{ status?: { allowed?: boolean; reason?: string } }>(kc, {
            method: 'POST',
            path: collectionPath(review),
            body: { apiVersion: apiVersionOf(review), kind: review.kind, spec: { resourceAttributes: { ...check } } },
          });
          const verdict = { allowed: answer.status?.allowed === true, reason: answer.status?.reason || undefined };
          cache.set(key, { at: now(), ...verdict });
          return verdict;
        }),
      );
    },
  };
}
