// Console alerts kept from the previous answer of each source: an Alertmanager alert whose fields
// did not change gets the same ConsoleAlert object back. A refresh of 5,000 alerts then checks,
// converts and redacts only the few that changed (the rest allocate nothing), the revision diff
// finds unchanged alerts by reference, and the contract's redaction passes the kept ones by (they
// are redacted once, then frozen).
import { groupKeyOf, type ConsoleAlert, type Priority } from '../../../shared/model/alert.js';
import { fromAlertmanager, isRecord, parseAmAlert, sameAmAlert, type AmAlert, type ExprCache } from './alertmanager-wire.js';
import { redactPayload, vouchRedacted } from '../secrets/index.js';

interface Kept {
  /** The checked wire alert it was made from (what later answers are compared with). */
  raw: AmAlert;
  alert: ConsoleAlert;
  /** Its group's key, made once: the same string each refresh, whose hash the group map has already seen. */
  groupKey: string;
  /** The answer that last held it (entries an answer no longer holds are dropped after it). */
  seen: number;
}

/** Sources remembered (context × Alertmanager × severity overrides); the least recently asked goes first. */
const KEPT_SOURCES = 8;

export function createAlertConversions() {
  const bySource = new Map<string, Map<string, Kept>>();
  let answers = 0;
  return {
    /**
     * Alertmanager's /api/v2/alerts answer (parsed JSON) in console shape, with each alert's group
     * key; undefined when an element is not an alert as amAlertSchema has it. `source` names the
     * context, Alertmanager and overrides.
     */
    convert(source: string, body: readonly unknown[], overrides: Record<string, Priority>): { alerts: ConsoleAlert[]; groupKeys: string[] } | undefined {
      const kept = bySource.get(source) ?? new Map<string, Kept>();
      bySource.delete(source);
      bySource.set(source, kept);
      if (bySource.size > KEPT_SOURCES) bySource.delete(bySource.keys().next().value as string);
      const answer = ++answers;
      const exprs: ExprCache = new Map();
      const alerts: ConsoleAlert[] = new Array(body.length);
      const groupKeys: string[] = new Array(body.length);
      for (let i = 0; i < body.length; i++) {
        const item = body[i];
        let entry = isRecord(item) && typeof item.fingerprint === 'string' ? kept.get(item.fingerprint) : undefined;
        // An equal alert keeps its old checked copy: later answers compare against equal content either way.
        if (!entry || !sameAmAlert(entry.raw, item as Record<string, unknown>)) {
          const raw = parseAmAlert(item);
          if (!raw) return undefined;
          const alert = vouchRedacted(redactPayload(fromAlertmanager(raw, overrides, exprs)));
          entry = { raw, alert, groupKey: groupKeyOf(alert.labels), seen: answer };
          kept.set(raw.fingerprint, entry);
        } else {
          entry.seen = answer;
        }
        alerts[i] = entry.alert;
        groupKeys[i] = entry.groupKey;
      }
      if (kept.size > body.length) for (const [fingerprint, entry] of kept) if (entry.seen !== answer) kept.delete(fingerprint);
      return { alerts, groupKeys };
    },
  };
}
