// The blue-green strategy: the new ReplicaSet comes up beside the active one behind the preview
// Service; with autoPromotionEnabled: false the rollout pauses (BlueGreenPause) until promoted;
// promotion points the active Service at the new hash and the old ReplicaSet is scaled down after
// scaleDownDelaySeconds (default 30 s), marked with the scale-down-deadline annotation.
import { addPause, clearPause, hasPause, type SyncContext } from './context.js';
import { available, hashOf, pointService, scale } from './replicasets.js';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from './types.js';

const DEFAULT_SCALE_DOWN_DELAY_S = 30;

export function syncBlueGreen(ctx: SyncContext): void {
  const { rollout, status, replicas: R, newRS, owned, store, hash } = ctx;
  const bg = rollout.spec.strategy.blueGreen;
  if (!bg) return;
  const ns = rollout.metadata.namespace;
  const bgStatus = (status.blueGreen ??= {});
  const delayMs = (bg.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_S) * 1000;
  let active = bgStatus.activeSelector;
  let activeRS = owned.find((rs) => hashOf(rs) === active);

  const promote = () => {
    scale(store, newRS, R, R, null);
    pointService(store, ns, bg.activeService, hash);
    pointService(store, ns, bg.previewService, hash);
    bgStatus.activeSelector = hash;
    if (bg.previewService) bgStatus.previewSelector = hash;
    status.stableRS = hash;
    clearPause(status);
    delete status.promoteFull;
    active = hash;
    activeRS = newRS;
  };

  if (!active || !activeRS || active === hash) {
    promote();
  } else if (status.abort) {
    clearPause(status);
    scale(store, newRS, 0, R, null);
    scale(store, activeRS, R, R, null);
    pointService(store, ns, bg.previewService, active);
    if (bg.previewService) bgStatus.previewSelector = active;
  } else {
    const previewCount = Math.min(R, bg.previewReplicaCount ?? R);
    scale(store, newRS, previewCount, R, null);
    scale(store, activeRS, R, R, null);
    pointService(store, ns, bg.previewService, hash);
    if (bg.previewService) bgStatus.previewSelector = hash;
    if (available(newRS) >= previewCount && !rollout.spec.paused) {
      if (bg.autoPromotionEnabled !== false || status.promoteFull) promote();
      else if (!hasPause(status, 'BlueGreenPause')) {
        // controllerPause without the condition means a user cleared it: that is the promotion.
        if (status.controllerPause) promote();
        else addPause(status, 'BlueGreenPause', ctx.nowIso);
      }
    }
  }

  // ReplicaSets that are neither current nor serving: the previous active one lingers until its
  // scale-down deadline, anything older goes at once.
  for (const rs of owned) {
    if (rs === newRS || rs === activeRS) continue;
    const deadline = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
    if ((rs.spec.replicas ?? 0) === 0) {
      if (deadline) scale(store, rs, 0, R, null);
      continue;
    }
    if (status.stableRS === hash && active === hash) {
      if (!deadline) scale(store, rs, rs.spec.replicas ?? 0, R, new Date(ctx.now + delayMs).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      else if (ctx.now >= Date.parse(deadline)) scale(store, rs, 0, R, null);
    } else {
      scale(store, rs, 0, R, null);
    }
  }
}
