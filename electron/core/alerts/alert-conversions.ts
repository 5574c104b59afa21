// Console alerts kept from the previous answer of each source: an Alertmanager alert whose fields
// did not change gets the same ConsoleAlert object back. A refresh of 5,000 alerts then converts
// (and redacts) only the few that changed, the revision diff finds unchanged alerts by reference,
// and the contract's redaction passes the kept ones by (they are redacted once, then frozen).
import { groupKeyOf, type ConsoleAlert, type Priority } from '../../../shared/model/alert.js';
import { jsonEqual } from '../../../shared/model/json-equal.js';
import { fromAlertmanager, type AmAlert, type ExprCache } from './alertmanager-wire.js';
import { redactPayload, vouchRedacted } from '../secrets/index.js';

interface Kept {
  raw: AmAlert;
  alert: ConsoleAlert;
  /** Its group's key, made once: the same string each refresh, whose hash the group map has already seen. */
  groupKey: string;
}

/** Every field fromAlertmanager reads (the fingerprint is the key the two were found by). */
const sameAlert = (a: AmAlert, b: AmAlert): boolean =>
  a === b ||
  (a.startsAt === b.startsAt &&
    a.generatorURL === b.generatorURL &&
    a.status.state === b.status.state &&
    jsonEqual(a.status.silencedBy, b.status.silencedBy) &&
    jsonEqual(a.status.inhibitedBy, b.status.inhibitedBy) &&
    jsonEqual(a.labels, b.labels) &&
    jsonEqual(a.annotations, b.annotations));

/** Sources remembered (context × Alertmanager × severity overrides); the least recently asked goes first. */
const KEPT_SOURCES = 8;

export function createAlertConversions() {
  const bySource = new Map<string, Map<string, Kept>>();
  return {
    /** The answer's alerts in console shape and their group keys; `source` names the context, Alertmanager and overrides. */
    convert(source: string, raws: readonly AmAlert[], overrides: Record<string, Priority>): { alerts: ConsoleAlert[]; groupKeys: string[] } {
      const previous = bySource.get(source);
      const next = new Map<string, Kept>();
      const exprs: ExprCache = new Map();
      const alerts: ConsoleAlert[] = new Array(raws.length);
      const groupKeys: string[] = new Array(raws.length);
      for (let i = 0; i < raws.length; i++) {
        const raw = raws[i];
        let kept = previous?.get(raw.fingerprint);
        // An equal alert keeps its old raw copy: later answers compare against equal content either way.
        if (!kept || !sameAlert(kept.raw, raw)) {
          const alert = vouchRedacted(redactPayload(fromAlertmanager(raw, overrides, exprs)));
          kept = { raw, alert, groupKey: groupKeyOf(alert.labels) };
        }
        next.set(raw.fingerprint, kept);
        alerts[i] = kept.alert;
        groupKeys[i] = kept.groupKey;
      }
      bySource.delete(source);
      bySource.set(source, next);
      if (bySource.size > KEPT_SOURCES) bySource.delete(bySource.keys().next().value as string);
      return { alerts, groupKeys };
    },
  };
}
