// The audit.events stream: the filtered page at once, then again after records are written. Writes
// in one burst (prepare + execute, a drain's records) are coalesced into one re-read, so a flood of
// appends costs one list() per interval, not one per record.
import type { AuditRecord } from '../../../shared/contract/actions.js';
import type { AuditFilter, AuditLog, AuditPage } from './audit-log.js';

export const AUDIT_EVENTS_COALESCE_MS = 100;

export function watchAudit(audit: Pick<AuditLog, 'list' | 'onAppend'>, filter: AuditFilter, emit: (page: AuditPage) => void, coalesceMs = AUDIT_EVENTS_COALESCE_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const send = () => {
    timer = undefined;
    if (!stopped) emit(audit.list(filter));
  };
  const matches = (record: AuditRecord) => !filter.context || record.context === filter.context;
  const off = audit.onAppend((record) => {
    if (stopped || timer || !matches(record)) return;
    timer = setTimeout(send, coalesceMs);
  });
  send();
  return () => {
    stopped = true;
    off();
    if (timer) clearTimeout(timer);
  };
}
