// Secrets (issue 11): every payload is redacted by the main process; a console user may ask for one
// literal value back. Refused to read-only sessions and written to the audit log (who, which object,
// which path — never the value).
import { z } from 'zod';
import { defineMethod } from '../contract-kit.js';

export const revealRequestSchema = z
  .object({
    context: z.string().min(1),
    /** Kubernetes kind: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, Rollout. */
    kind: z.string().min(1),
    namespace: z.string().min(1).optional(),
    name: z.string().min(1),
    /** RFC 6901 pointer to the redacted string, e.g. /spec/template/spec/containers/0/env/2/value. */
    path: z.string().startsWith('/'),
  })
  .strict();
export type RevealRequest = z.infer<typeof revealRequestSchema>;

export const redactedValueSchema = z.object({
  path: z.string(),
  container: z.string(),
  env: z.string(),
  /** What every payload shows instead: `<redacted: N chars #fingerprint>`. */
  shown: z.string(),
});
export type RedactedValue = z.infer<typeof redactedValueSchema>;

export const secretsContract = {
  'secrets.redacted': defineMethod({
    request: revealRequestSchema.omit({ path: true }),
    response: z.object({ values: z.array(redactedValueSchema) }),
    mutates: false,
    summary: 'The literal env values of a live object that payloads redact: where they are, never what they hold.',
  }),
  'secrets.reveal': defineMethod({
    request: revealRequestSchema,
    response: z.object({ value: z.string(), auditId: z.string() }),
    // Not a change, but it hands out a secret: the war-room token must not, and it is audited.
    mutates: true,
    summary: 'The literal value behind one redacted field of a live object (console sessions only; audited).',
  }),
} as const;

/** Methods whose answer is deliberately not redacted by the contract server. */
export const REVEALING_METHODS: ReadonlySet<string> = new Set(['secrets.reveal']);
