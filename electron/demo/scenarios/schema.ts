// The scenario file format (resources/demo/*.yaml): a name, the alerts it promises, and a timeline
// of steps at simulated offsets ("30s", "2m", "1h"). Node and GPU targets can be "$node", a node
// the `pickNode` step chose from the seed, so the same seed breaks the same machine every run.
import { z } from 'zod';

const duration = z.string().regex(/^(\d+(ms|s|m|h))+$/, 'a duration like 30s, 2m or 1h30m');
const ref = { namespace: z.string(), name: z.string() };

export const stepSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pickNode'), as: z.string().default('node'), pool: z.string().optional() }),
  z.object({ action: z.literal('setImage'), kind: z.enum(['Rollout', 'Deployment']).default('Rollout'), ...ref, tag: z.string().optional(), image: z.string().optional() }),
  z.object({ action: z.literal('imageErrors'), match: z.string(), errorRatio: z.number().min(0).max(1), latencyFactor: z.number().positive().optional(), ramp: duration.optional() }),
  z.object({ action: z.literal('clearImageErrors'), match: z.string() }),
  z.object({ action: z.literal('serviceErrors'), namespace: z.string(), service: z.string(), errorRatio: z.number().min(0).max(1), latencyFactor: z.number().positive().optional() }),
  z.object({ action: z.literal('clearServiceErrors'), namespace: z.string(), service: z.string() }),
  z.object({ action: z.literal('abortRollout'), ...ref }),
  z.object({ action: z.literal('promoteRollout'), ...ref, full: z.boolean().default(false) }),
  z.object({ action: z.literal('undoRollout'), ...ref }),
  z.object({ action: z.literal('gpuXid'), node: z.string(), gpu: z.number().int().min(0), xid: z.number().int().positive() }),
  z.object({ action: z.literal('clearXid'), node: z.string() }),
  z.object({ action: z.literal('gpuHot'), node: z.string(), gpu: z.number().int().min(0), hot: z.boolean().default(true) }),
  z.object({ action: z.literal('nodeNotReady'), node: z.string() }),
  z.object({ action: z.literal('nodeReady'), node: z.string() }),
  z.object({ action: z.literal('exporterDown'), node: z.string() }),
  z.object({ action: z.literal('exporterUp'), node: z.string() }),
]);

export const scenarioSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** Alert names this scenario makes fire (and resolve once healed). */
  alerts: z.array(z.string()).default([]),
  /** Runbook (a later issue) that answers the alerts. */
  runbook: z.string().optional(),
  /** Simulated time after which everything is healed and alerts should have resolved. */
  healedAt: duration.optional(),
  steps: z.array(stepSchema.and(z.object({ at: duration, note: z.string().optional() }))),
});

export type ScenarioStep = z.infer<typeof stepSchema> & { at: string; note?: string };
export type Scenario = z.infer<typeof scenarioSchema>;
