// OpenAPI schemas for the Argo Rollouts kinds the demo serves (argoproj.io/v1alpha1), written from
// our own view of the Rollout (electron/demo/rollouts/types.ts) rather than the CRD: the fields the
// demo controller reads and writes are typed, the pod template is the core PodTemplateSpec, and
// everything we do not model (traffic routing, analysis, experiments) stays open with
// x-kubernetes-preserve-unknown-fields so kubectl neither rejects nor drops it. The typed objects
// are open too: the real CRD has fields we leave out, and a valid Rollout must never be refused.
import type { Schema } from './schemas.js';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';
const PREFIX = 'io.argoproj.rollouts.v1alpha1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const ref = (name: string, description?: string): Schema =>
  description ? { allOf: [{ $ref: `#/components/schemas/${name}` }], description } : { $ref: `#/components/schemas/${name}` };
const str = (description: string): Schema => ({ type: 'string', description });
const int = (description: string, format = 'int32'): Schema => ({ type: 'integer', format, description });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const open = (description: string): Schema => ({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });
const intOrString = (description: string): Schema => ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString', description);
const obj = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  type: 'object',
  description,
  properties,
  ...(required ? { required } : {}),
});
/** An object whose listed fields are typed but which accepts the real CRD's other fields too. */
const partial = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  ...obj(description, properties, required),
  'x-kubernetes-preserve-unknown-fields': true,
});

function topLevel(kind: string, description: string, spec: Schema, status: Schema): Schema {
  return {
    ...obj(description, {
      apiVersion: str('The versioned schema of this object: argoproj.io/v1alpha1.'),
      kind: str(`The kind of this object: ${kind}.`),
      metadata: ref(`${META}.ObjectMeta`, "The object's metadata: name, namespace, labels, annotations."),
      spec,
      status,
    }),
    'x-kubernetes-group-version-kind': [{ group: GROUP, version: VERSION, kind }],
  };
}

const canaryStep = partial('One step of a canary update; exactly one of its fields is set.', {
  setWeight: int('Percentage of traffic (and, without traffic routing, of replicas) the canary gets at this step.'),
  pause: obj('Stops the update, for a duration or until the rollout is promoted.', {
    duration: intOrString('How long to pause: seconds as a number, or a string with a unit such as "30s" or "5m". Absent: until promoted.'),
  }),
  setCanaryScale: obj('Scales the canary independently of its traffic weight.', {
    replicas: int('An absolute number of canary replicas.'),
    weight: int('Canary replicas as a percentage of spec.replicas.'),
    matchTrafficWeight: bool('Scale the canary back to follow the traffic weight.'),
  }),
  analysis: open('Runs an analysis inline at this step (not simulated by the demo fleet).'),
  experiment: open('Runs an experiment at this step (not simulated by the demo fleet).'),
  setHeaderRoute: open('Routes requests matching headers to the canary (needs traffic routing).'),
  setMirrorRoute: open('Mirrors matching requests to the canary (needs traffic routing).'),
  plugin: open('Runs a step plugin.'),
});

const canary = partial('Moves traffic to the new version step by step, alongside the stable version.', {
  canaryService: str('Service whose selector the controller points at the canary pods.'),
  stableService: str('Service whose selector the controller points at the stable pods.'),
  steps: { type: 'array', description: 'The steps of the update, run in order.', items: canaryStep },
  maxSurge: intOrString('How many pods above the desired count may exist during the update: a number or a percentage.'),
  maxUnavailable: intOrString('How many pods may be unavailable during the update: a number or a percentage.'),
  scaleDownDelaySeconds: int('Seconds to keep the old ReplicaSet scaled up after traffic has moved away (with traffic routing).'),
  scaleDownDelayRevisionLimit: int('How many old ReplicaSets may wait out their scale-down delay at once.'),
  abortScaleDownDelaySeconds: int('Seconds to keep the canary up after an abort (with traffic routing).'),
  dynamicStableScale: bool('Scale the stable ReplicaSet down as traffic moves to the canary.'),
  minPodsPerReplicaSet: int('Lowest number of pods the canary and stable ReplicaSets keep while traffic is split.'),
  trafficRouting: open('Service mesh or ingress that splits traffic by weight (open: not simulated).'),
  analysis: open('A background analysis that runs during the whole update (open: not simulated).'),
  antiAffinity: open('Keeps canary and stable pods on different nodes.'),
  canaryMetadata: open('Labels and annotations added to canary pods.'),
  stableMetadata: open('Labels and annotations added to stable pods.'),
});

const blueGreen = partial(
  'Brings the new version up beside the old one behind a preview Service, then switches the active Service over.',
  {
    activeService: str('Service that carries production traffic; switched to the new version on promotion.'),
    previewService: str('Service that points at the new version before promotion.'),
    previewReplicaCount: int('Replicas the new version runs with before promotion.'),
    autoPromotionEnabled: bool('Promote as soon as the new version is ready (default true). False: wait for a promotion.'),
    autoPromotionSeconds: int('Promote automatically this many seconds after the new version is ready.'),
    maxUnavailable: intOrString('How many pods may be unavailable during the update.'),
    scaleDownDelaySeconds: int('Seconds to keep the old version up after the switch (default 30).'),
    scaleDownDelayRevisionLimit: int('How many old ReplicaSets may wait out their scale-down delay at once.'),
    abortScaleDownDelaySeconds: int('Seconds to keep the preview up after an abort.'),
    prePromotionAnalysis: open('Analysis run before the switch (open: not simulated).'),
    postPromotionAnalysis: open('Analysis run after the switch (open: not simulated).'),
    antiAffinity: open('Keeps old and new pods on different nodes.'),
    previewMetadata: open('Labels and annotations added to preview pods.'),
    activeMetadata: open('Labels and annotations added to active pods.'),
  },
  ['activeService'],
);

const condition = obj('One observed condition of the rollout.', {
  type: str('Condition kind: Available, Progressing, ReplicaFailure, Paused, Completed, Healthy or InvalidSpec.'),
  status: str('True, False or Unknown.'),
  reason: str('One CamelCase word saying why the condition last changed.'),
  message: str('A sentence for people about the last change.'),
  lastTransitionTime: ref(`${META}.Time`, 'When the status last changed.'),
  lastUpdateTime: ref(`${META}.Time`, 'When the condition was last written.'),
}, ['type', 'status']);

const rolloutSpec = partial('The desired state of the rollout.', {
  replicas: int('Desired number of pods (default 1).'),
  selector: ref(`${META}.LabelSelector`, 'Label query over pods that belong to this rollout; must match the template labels.'),
  template: ref('io.k8s.api.core.v1.PodTemplateSpec', 'The pods the rollout creates.'),
  workloadRef: open('Takes the pod template from another workload (a Deployment) instead of spec.template.'),
  minReadySeconds: int('Seconds a new pod must be ready, with no container crashing, to count as available.'),
  strategy: partial('How the rollout replaces old pods by new ones: set exactly one of canary and blueGreen.', { canary, blueGreen }),
  paused: bool('Stops the rollout from progressing; set by `kubectl argo rollouts pause`.'),
  restartAt: ref(`${META}.Time`, 'Pods created before this time are restarted.'),
  progressDeadlineSeconds: int('Seconds an update may go without progress before it is reported as failed (default 600).'),
  progressDeadlineAbort: bool('Abort the update when the progress deadline passes.'),
  revisionHistoryLimit: int('Old ReplicaSets to keep for rollback (default 10).'),
  analysis: open('How many successful and failed analysis runs to keep.'),
}, ['strategy']);

const rolloutStatus = partial('The observed state of the rollout, written by the controller.', {
  phase: str('Healthy, Degraded, Progressing or Paused.'),
  message: str('Why the rollout is in its phase.'),
  observedGeneration: str('The spec generation the controller last acted on (a string, unlike built-in kinds).'),
  currentPodHash: str('rollouts-pod-template-hash of the newest pod template.'),
  currentStepHash: str('Hash of the canary steps, to notice when they change.'),
  currentStepIndex: int('Index of the canary step in progress.'),
  stableRS: str('pod-template-hash of the stable ReplicaSet.'),
  pauseConditions: {
    type: 'array',
    description: 'Why the rollout is paused, one entry per reason.',
    items: obj('One reason for a pause.', { reason: str('CanaryPauseStep, BlueGreenPause, InconclusiveAnalysisRun or InconclusiveExperiment.'), startTime: ref(`${META}.Time`, 'When the pause began.') }, ['reason', 'startTime']),
  },
  controllerPause: bool('The controller, not a person, paused the rollout.'),
  abort: bool('The update was aborted; traffic and replicas went back to the stable version.'),
  abortedAt: ref(`${META}.Time`, 'When the update was aborted.'),
  promoteFull: bool('Skip the remaining steps and analyses and promote now.'),
  restartedAt: ref(`${META}.Time`, 'When the last restart (spec.restartAt) completed.'),
  replicas: int('Pods targeted by the rollout.'),
  updatedReplicas: int('Pods running the newest template.'),
  readyReplicas: int('Pods that are ready.'),
  availableReplicas: int('Pods that are available (ready for minReadySeconds).'),
  HPAReplicas: int('Replicas as the HorizontalPodAutoscaler sees them.'),
  selector: str('The label selector in string form, for the scale subresource.'),
  collisionCount: int('Counts hash collisions of the pod template.'),
  conditions: { type: 'array', description: 'Observed conditions of the rollout.', items: condition },
  canary: open('Canary state: traffic weights of the canary and stable versions.'),
  blueGreen: obj('Blue-green state.', { activeSelector: str('pod-template-hash the active Service selects.'), previewSelector: str('pod-template-hash the preview Service selects.') }),
});

const openKind = (kind: string, description: string): Schema =>
  topLevel(kind, description, open(`The desired state of the ${kind}.`), open(`The observed state of the ${kind}.`));

/** Component schemas of the argoproj.io/v1alpha1 kinds, by OpenAPI name. */
export function argoSchemas(): Record<string, Schema> {
  return {
    [`${PREFIX}.Rollout`]: topLevel('Rollout', 'A Rollout replaces a Deployment with progressive delivery: canary steps or a blue-green switch, paused, promoted or aborted by people or analysis.', rolloutSpec, rolloutStatus),
    [`${PREFIX}.AnalysisRun`]: openKind('AnalysisRun', 'One run of an analysis: measurements of metrics that decide whether a rollout step succeeds.'),
    [`${PREFIX}.AnalysisTemplate`]: openKind('AnalysisTemplate', 'A reusable description of an analysis (metrics, conditions, intervals).'),
    [`${PREFIX}.Experiment`]: openKind('Experiment', 'Runs one or more ReplicaSets for a limited time, usually with analysis.'),
  };
}

/** OpenAPI name of an argoproj.io kind's schema. */
export const argoSchemaName = (kind: string): string => `${PREFIX}.${kind}`;
