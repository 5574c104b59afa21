// The canary strategy without a service mesh (the basic canary): the weight of a `setWeight`
// step is reached by scaling, canary = ceil(replicas × weight / 100) and stable =
// ceil(replicas × (100 − weight) / 100); `pause` steps add a CanaryPauseStep condition and set
// controllerPause, ending after their duration or when someone clears the condition (promote).
// With trafficRouting the controller also reports status.canary.weights, as the real one does.
import { clearPause, addPause, durationMs, removePause, type SyncContext } from './context.js';
import { available, desired, hashOf, pointService, scale } from './replicasets.js';
import type { CanaryStep } from './types.js';

/** The weight in force at step `index`: the last setWeight at or before it. */
export function weightAt(steps: CanaryStep[], index: number): number {
  if (index >= steps.length) return 100;
  let weight = 0;
  for (let i = 0; i <= index; i++) if (typeof steps[i].setWeight === 'number') weight = steps[i].setWeight as number;
  return weight;
}

export function syncCanary(ctx: SyncContext): void {
  const { rollout, status, replicas: R, newRS, owned, store } = ctx;
  const strategy = rollout.spec.strategy.canary ?? {};
  const steps = strategy.steps ?? [];
  const n = steps.length;
  let idx = Math.min(status.currentStepIndex ?? 0, n);

  // The first ReplicaSet of a Rollout is promoted at once: there is nothing to compare it with.
  if (!status.stableRS) status.stableRS = ctx.hash;
  if (status.promoteFull) {
    clearPause(status);
    delete status.abort;
    idx = n;
  }
  const stableRS = owned.find((rs) => hashOf(rs) === status.stableRS);
  const others = owned.filter((rs) => rs !== newRS && rs !== stableRS);
  const scaleOthersDown = () => others.forEach((rs) => scale(store, rs, 0, R));

  if (status.stableRS === ctx.hash) {
    scale(store, newRS, R, R);
    owned.filter((rs) => rs !== newRS).forEach((rs) => scale(store, rs, 0, R));
    idx = n;
    delete status.promoteFull;
  } else if (status.abort) {
    // Basic canary aborts by scaling the canary away at once and the stable back to full size.
    clearPause(status);
    scale(store, newRS, 0, R);
    if (stableRS) scale(store, stableRS, R, R);
    scaleOthersDown();
    idx = 0;
  } else {
    for (let guard = 0; guard <= n + 1; guard++) {
      const weight = weightAt(steps, idx);
      const wantNew = Math.min(R, Math.ceil((R * weight) / 100));
      const wantStable = weight >= 100 ? R : Math.min(R, Math.ceil((R * (100 - weight)) / 100));
      scale(store, newRS, wantNew, R);
      if (stableRS) scale(store, stableRS, wantStable, R);
      scaleOthersDown();
      if (idx >= n) {
        if (available(newRS) >= R) {
          status.stableRS = ctx.hash;
          if (stableRS) scale(store, stableRS, 0, R);
          delete status.promoteFull;
        }
        break;
      }
      if (rollout.spec.paused) break;
      const step = steps[idx];
      if (typeof step.setWeight === 'number') {
        const stableSettled = !stableRS || (stableRS.status?.replicas ?? desired(stableRS)) <= wantStable;
        if (available(newRS) >= wantNew && stableSettled) {
          idx++;
          continue;
        }
        break;
      }
      if (step.pause) {
        const cond = status.pauseConditions?.find((p) => p.reason === 'CanaryPauseStep');
        const duration = durationMs(step.pause.duration);
        if (cond) {
          if (duration !== undefined && ctx.now >= Date.parse(cond.startTime) + duration) {
            removePause(status, 'CanaryPauseStep');
            if (!status.pauseConditions) delete status.controllerPause;
            idx++;
            continue;
          }
          break;
        }
        if (status.controllerPause) {
          // Someone cleared the pause condition (promote): the pause step is done.
          delete status.controllerPause;
          idx++;
          continue;
        }
        addPause(status, 'CanaryPauseStep', ctx.nowIso);
        break;
      }
      // analysis, experiment and steps the demo does not model complete at once.
      idx++;
    }
  }
  // Like the real controller, the canary and stable Services select one hash each (also without
  // a traffic router), so their endpoints show which pods are which.
  pointService(store, rollout.metadata.namespace, strategy.canaryService, status.abort ? status.stableRS ?? ctx.hash : ctx.hash);
  if (status.stableRS) pointService(store, rollout.metadata.namespace, strategy.stableService, status.stableRS);
  if (n > 0) status.currentStepIndex = idx;
  else delete status.currentStepIndex;
  // The plugin's promote clears the conditions and moves the index past the pause itself.
  if (status.controllerPause && !status.pauseConditions?.length) delete status.controllerPause;

  if (strategy.trafficRouting && status.stableRS) {
    const weight = status.stableRS === ctx.hash || status.abort ? 0 : weightAt(steps, idx);
    status.canary = {
      weights: {
        canary: { podTemplateHash: ctx.hash, serviceName: strategy.canaryService, weight },
        stable: { podTemplateHash: status.stableRS, serviceName: strategy.stableService, weight: 100 - weight },
      },
    };
  } else {
    status.canary = {};
  }
}
