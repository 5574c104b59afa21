// The main process's redactor: shared/model/redact.ts with a keyed fingerprint. The HMAC key is
// random per process, so `#3fa9c1` tells a reader that a value changed between two revisions but
// cannot be brute-forced offline from a screenshot, an audit line or a snapshot file.
import { createHmac, randomBytes } from 'node:crypto';
import { createRedactor } from '../../../shared/model/redact.js';

const key = randomBytes(32);

export const secretRedactor = createRedactor((value) => createHmac('sha256', key).update(value).digest('hex').slice(0, 6));

/** Contract payloads (responses, stream events, audit records). */
export const redactPayload = <T>(value: T): T => secretRedactor.redact(value);
/** Kubernetes objects and templates (details YAML, history, diffs, offline snapshots). */
export const redactObject = <T>(object: T): T => secretRedactor.redactObject(object);
/** A redacted payload value sent again and again: frozen and passed by later payload redaction (see Redactor.vouch). */
export const vouchRedacted = <T extends object>(redacted: T): T => secretRedactor.vouch(redacted);
