// Alertmanager has no Kubernetes RBAC: its access checks (pseudo group alertmanager.flightdeck.dev)
// are allowed here without a SelfSubjectAccessReview; every other check goes to the real reviewer.
import type { AccessReviewer } from '../actions/index.js';
import { ALERTMANAGER_ACCESS_GROUP } from './silence-actions.js';

export function withAlertmanagerAccess(reviewer: AccessReviewer): AccessReviewer {
  return {
    userOf: (context) => reviewer.userOf(context),
    async review(context, checks) {
      const kube = checks.filter((c) => c.group !== ALERTMANAGER_ACCESS_GROUP);
      const answers = kube.length ? await reviewer.review(context, kube) : [];
      let next = 0;
      return checks.map((c) => (c.group === ALERTMANAGER_ACCESS_GROUP ? { allowed: true, reason: 'Alertmanager has no Kubernetes RBAC; its own authentication applies' } : (answers[next++] ?? { allowed: false, reason: 'the reviewer gave no answer' })));
    },
  };
}
