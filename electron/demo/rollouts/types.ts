// The slice of argoproj.io/v1alpha1 Rollout the demo controller reads and writes. Field names and
// optionality follow pkg/apis/rollouts/v1alpha1/types.go in argoproj/argo-rollouts (omitempty
// fields stay absent rather than false/empty, as the real controller leaves them).
import type { KubeObject } from '../store.js';

export const HASH_LABEL = 'rollouts-pod-template-hash';
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'rollout.argoproj.io/desired-replicas';
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: unknown;
  [other: string]: unknown;
}

export interface CanaryStrategy {
  steps?: CanaryStep[];
  trafficRouting?: Record<string, unknown>;
  canaryService?: string;
  stableService?: string;
}

export interface BlueGreenStrategy {
  activeService: string;
  previewService?: string;
  autoPromotionEnabled?: boolean;
  scaleDownDelaySeconds?: number;
  previewReplicaCount?: number;
}

export interface RolloutSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template: PodTemplate;
  paused?: boolean;
  restartAt?: string;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineAbort?: boolean;
  strategy: { canary?: CanaryStrategy; blueGreen?: BlueGreenStrategy };
}

export type PauseReason = 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysisRun' | 'InconclusiveExperiment';

export interface RolloutCondition {
  type: 'Available' | 'Progressing' | 'ReplicaFailure' | 'Paused' | 'Completed' | 'Healthy' | 'InvalidSpec';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  lastUpdateTime: string;
}

export interface TrafficWeights {
  canary: { podTemplateHash: string; serviceName?: string; weight: number };
  stable: { podTemplateHash: string; serviceName?: string; weight: number };
}

export interface RolloutStatus {
  phase?: 'Healthy' | 'Degraded' | 'Progressing' | 'Paused';
  message?: string;
  observedGeneration?: string;
  currentPodHash?: string;
  currentStepHash?: string;
  currentStepIndex?: number;
  stableRS?: string;
  pauseConditions?: { reason: PauseReason; startTime: string }[] | null;
  controllerPause?: boolean;
  abort?: boolean;
  abortedAt?: string;
  promoteFull?: boolean;
  restartedAt?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  HPAReplicas?: number;
  selector?: string;
  collisionCount?: number;
  conditions?: RolloutCondition[];
  canary?: { weights?: TrafficWeights };
  blueGreen?: { activeSelector?: string; previewSelector?: string };
}

export interface Rollout extends KubeObject {
  spec: RolloutSpec;
  status?: RolloutStatus;
}

export interface ReplicaSet extends KubeObject {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number };
}
