// The `alerts.list` answer checked by hand (the contract's `exactResponse`): 5,000 alerts are
// megabytes, and the schema's parse deep-copied all of it on every call (~50 ms of a full answer).
// It accepts only what the schema in ./alerts.ts accepts and returns unchanged: every declared
// field of the right type, no undeclared key, nothing left to default. Anything else goes to the
// schema. alerts-exact.test.ts holds the two together.

type Check = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isOptionalString = (v: unknown) => v === undefined || typeof v === 'string';
const isFiniteNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const PRIORITIES: ReadonlySet<unknown> = new Set(['P1', 'P2', 'P3', 'P4']);
const ALERT_STATES: ReadonlySet<unknown> = new Set(['active', 'suppressed', 'pending']);
const SOURCE_KINDS: ReadonlySet<unknown> = new Set(['alertmanager', 'prometheus', 'none']);

const isStringList = (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (const item of v) if (typeof item !== 'string') return false;
  return true;
};

const isStringRecord = (v: unknown) => {
  if (!isObject(v)) return false;
  for (const key in v) if (!Object.hasOwn(v, key) || typeof v[key] !== 'string') return false;
  return true;
};

/** Every own key is declared (an undeclared one would be stripped by the schema: not unchanged). */
const onlyKeys = (v: Record<string, unknown>, declared: ReadonlySet<string>) => {
  for (const key in v) if (!declared.has(key)) return false;
  return true;
};

const listOf = (check: Check) => (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (const item of v) if (!check(item)) return false;
  return true;
};

const SOURCE_KEYS = new Set(['kind', 'url', 'detail', 'problem']);
const isSource: Check = (v) => isObject(v) && onlyKeys(v, SOURCE_KEYS) && SOURCE_KINDS.has(v.kind) && isOptionalString(v.url) && isString(v.detail) && isOptionalString(v.problem);

const ALERT_KEYS = new Set(['fingerprint', 'name', 'state', 'priority', 'severity', 'labels', 'annotations', 'startsAt', 'silencedBy', 'inhibitedBy', 'expr', 'runbookUrl', 'runbookId']);
const isAlert: Check = (v) =>
  isObject(v) &&
  onlyKeys(v, ALERT_KEYS) &&
  isString(v.fingerprint) &&
  isString(v.name) &&
  ALERT_STATES.has(v.state) &&
  PRIORITIES.has(v.priority) &&
  isOptionalString(v.severity) &&
  isStringRecord(v.labels) &&
  isStringRecord(v.annotations) &&
  isString(v.startsAt) &&
  isStringList(v.silencedBy) &&
  isStringList(v.inhibitedBy) &&
  isOptionalString(v.expr) &&
  isOptionalString(v.runbookUrl) &&
  isOptionalString(v.runbookId);

const GROUP_KEYS = new Set(['key', 'alertname', 'namespace', 'service', 'priority', 'active', 'silenced', 'inhibited', 'pending', 'since', 'alerts']);
const isAlerts = listOf(isAlert);
const isGroup: Check = (v) =>
  isObject(v) &&
  onlyKeys(v, GROUP_KEYS) &&
  isString(v.key) &&
  isString(v.alertname) &&
  isOptionalString(v.namespace) &&
  isOptionalString(v.service) &&
  PRIORITIES.has(v.priority) &&
  isFiniteNumber(v.active) &&
  isFiniteNumber(v.silenced) &&
  isFiniteNumber(v.inhibited) &&
  isFiniteNumber(v.pending) &&
  isString(v.since) &&
  isAlerts(v.alerts);

const LIST_KEYS = new Set(['source', 'groups', 'fetchedAt', 'revision', 'delta', 'removed', 'order']);
const isGroups = listOf(isGroup);

export const isExactAlertList: Check = (v) =>
  isObject(v) &&
  onlyKeys(v, LIST_KEYS) &&
  isSource(v.source) &&
  isGroups(v.groups) &&
  isString(v.fetchedAt) &&
  isString(v.revision) &&
  typeof v.delta === 'boolean' &&
  isStringList(v.removed) &&
  isStringList(v.order);
