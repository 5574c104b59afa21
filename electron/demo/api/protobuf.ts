// Just enough Kubernetes protobuf to read the bodies kubectl sends that way:
// `kubectl auth can-i` POSTs SelfSubjectAccessReview / SelfSubjectRulesReview as
// application/vnd.kubernetes.protobuf (a "k8s\0" magic, then a runtime.Unknown envelope).
// Replies stay JSON, which the client accepts.
import { badRequest } from './status.js';

type Fields = Map<number, Buffer[]>;

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

/** Length-delimited fields of a message by field number (varints kept as their encoded value). */
function decodeMessage(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer;
    if (wire === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      if (pos + len > buf.length) throw new Error('truncated field');
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 0) {
      let v: number;
      [v, pos] = readVarint(buf, pos);
      value = Buffer.from(String(v));
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

const str = (f: Fields, n: number): string | undefined => f.get(n)?.[0]?.toString('utf8');
const msg = (f: Fields, n: number): Fields | undefined => {
  const b = f.get(n)?.[0];
  return b ? decodeMessage(b) : undefined;
};

function strings(f: Fields | undefined, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!f) return out;
  names.forEach((name, i) => {
    const v = str(f, i + 1);
    if (v) out[name] = v;
  });
  return out;
}

/** Decodes a protobuf SelfSubjectAccessReview or SelfSubjectRulesReview into its JSON shape. */
export function decodeReview(body: Buffer): Record<string, unknown> {
  try {
    if (body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw new Error('missing the k8s protobuf magic');
    const unknown = decodeMessage(body.subarray(4));
    const typeMeta = strings(msg(unknown, 1), ['apiVersion', 'kind']);
    const raw = unknown.get(2)?.[0] ?? Buffer.alloc(0);
    const obj = decodeMessage(raw);
    const spec = msg(obj, 2);
    if (typeMeta.kind === 'SelfSubjectRulesReview') {
      return { ...typeMeta, metadata: {}, spec: strings(spec, ['namespace']) };
    }
    const outSpec: Record<string, unknown> = {};
    const ra = spec && msg(spec, 1);
    const nra = spec && msg(spec, 2);
    if (ra) outSpec.resourceAttributes = strings(ra, ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']);
    if (nra) outSpec.nonResourceAttributes = strings(nra, ['path', 'verb']);
    return { ...typeMeta, metadata: {}, spec: outSpec };
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (error decoding protobuf body: ${(e as Error).message})`);
  }
}

// --- typed objects -----------------------------------------------------------------------------
// kubectl's generators (`kubectl create deployment|namespace|configmap|secret|service|job|cronjob`)
// POST protobuf. The field numbers below are those of k8s.io/api's generated.proto for the fields
// those generators set; anything else is skipped. Zero values of non-pointer Go fields are dropped
// as the apiserver's JSON (omitempty) would.

type Scalar = 'string' | 'int' | 'bool' | 'bytes64' | 'quantity' | 'intstr' | 'time';
interface FieldDef {
  name: string;
  type: Scalar | Schema | { map: 'string' | 'bytes64' | 'quantity' };
  repeated?: boolean;
}
type Schema = { [field: number]: FieldDef };

const f = (name: string, type: FieldDef['type'], repeated = false): FieldDef => ({ name, type, repeated });
const strMap = { map: 'string' as const };

const OWNER_REF: Schema = { 1: f('kind', 'string'), 3: f('name', 'string'), 4: f('uid', 'string'), 5: f('apiVersion', 'string'), 6: f('controller', 'bool'), 7: f('blockOwnerDeletion', 'bool') };
const OBJECT_META: Schema = {
  1: f('name', 'string'), 2: f('generateName', 'string'), 3: f('namespace', 'string'), 5: f('uid', 'string'), 6: f('resourceVersion', 'string'),
  11: f('labels', strMap), 12: f('annotations', strMap), 13: f('ownerReferences', OWNER_REF, true), 14: f('finalizers', 'string', true),
};
const LABEL_SELECTOR: Schema = { 1: f('matchLabels', strMap), 2: f('matchExpressions', { 1: f('key', 'string'), 2: f('operator', 'string'), 3: f('values', 'string', true) }, true) };
const CONTAINER: Schema = {
  1: f('name', 'string'), 2: f('image', 'string'), 3: f('command', 'string', true), 4: f('args', 'string', true), 5: f('workingDir', 'string'),
  6: f('ports', { 1: f('name', 'string'), 2: f('hostPort', 'int'), 3: f('containerPort', 'int'), 4: f('protocol', 'string'), 5: f('hostIP', 'string') }, true),
  7: f('env', { 1: f('name', 'string'), 2: f('value', 'string') }, true),
  8: f('resources', { 1: f('limits', { map: 'quantity' }), 2: f('requests', { map: 'quantity' }) }),
  9: f('volumeMounts', { 1: f('name', 'string'), 2: f('readOnly', 'bool'), 3: f('mountPath', 'string'), 4: f('subPath', 'string') }, true),
  13: f('terminationMessagePath', 'string'), 14: f('imagePullPolicy', 'string'), 16: f('stdin', 'bool'), 17: f('stdinOnce', 'bool'), 18: f('tty', 'bool'),
  20: f('terminationMessagePolicy', 'string'),
};
const POD_SPEC: Schema = {
  2: f('containers', CONTAINER, true), 3: f('restartPolicy', 'string'), 4: f('terminationGracePeriodSeconds', 'int'), 5: f('activeDeadlineSeconds', 'int'),
  6: f('dnsPolicy', 'string'), 7: f('nodeSelector', strMap), 8: f('serviceAccountName', 'string'), 9: f('serviceAccount', 'string'), 10: f('nodeName', 'string'),
  11: f('hostNetwork', 'bool'), 14: f('securityContext', {}), 19: f('schedulerName', 'string'), 20: f('initContainers', CONTAINER, true),
  22: f('tolerations', { 1: f('key', 'string'), 2: f('operator', 'string'), 3: f('value', 'string'), 4: f('effect', 'string'), 5: f('tolerationSeconds', 'int') }, true),
};
const POD_TEMPLATE: Schema = { 1: f('metadata', OBJECT_META), 2: f('spec', POD_SPEC) };
const JOB_SPEC: Schema = {
  1: f('parallelism', 'int'), 2: f('completions', 'int'), 3: f('activeDeadlineSeconds', 'int'), 4: f('selector', LABEL_SELECTOR), 5: f('manualSelector', 'bool'),
  6: f('template', POD_TEMPLATE), 7: f('backoffLimit', 'int'), 8: f('ttlSecondsAfterFinished', 'int'), 9: f('completionMode', 'string'), 10: f('suspend', 'bool'),
};

const DELETE_OPTIONS: Schema = {
  1: f('gracePeriodSeconds', 'int'), 2: f('preconditions', { 1: f('uid', 'string'), 2: f('resourceVersion', 'string') }), 3: f('orphanDependents', 'bool'),
  4: f('propagationPolicy', 'string'), 5: f('dryRun', 'string', true),
};

const CSR_CONDITION: Schema = { 1: f('type', 'string'), 2: f('reason', 'string'), 3: f('message', 'string'), 4: f('lastUpdateTime', 'time'), 5: f('lastTransitionTime', 'time'), 6: f('status', 'string') };

const KINDS: Record<string, Schema> = {
  // `kubectl create quota` and `kubectl create poddisruptionbudget`.
  ResourceQuota: { 1: f('metadata', OBJECT_META), 2: f('spec', { 1: f('hard', { map: 'quantity' }), 2: f('scopes', 'string', true) }) },
  PodDisruptionBudget: {
    1: f('metadata', OBJECT_META),
    2: f('spec', { 1: f('minAvailable', 'intstr'), 2: f('selector', LABEL_SELECTOR), 3: f('maxUnavailable', 'intstr'), 4: f('unhealthyPodEvictionPolicy', 'string') }),
  },
  // `kubectl certificate approve|deny` PUTs the whole CSR, its new condition included, to /approval.
  CertificateSigningRequest: {
    1: f('metadata', OBJECT_META),
    2: f('spec', { 1: f('request', 'bytes64'), 2: f('username', 'string'), 3: f('uid', 'string'), 4: f('groups', 'string', true), 5: f('usages', 'string', true), 7: f('signerName', 'string'), 8: f('expirationSeconds', 'int') }),
    3: f('status', { 1: f('conditions', CSR_CONDITION, true), 2: f('certificate', 'bytes64') }),
  },
  // policy/v1 Eviction, which `kubectl drain` POSTs to pods/eviction.
  Eviction: { 1: f('metadata', OBJECT_META), 2: f('deleteOptions', DELETE_OPTIONS) },
  Namespace: { 1: f('metadata', OBJECT_META), 2: f('spec', { 1: f('finalizers', 'string', true) }) },
  ConfigMap: { 1: f('metadata', OBJECT_META), 2: f('data', strMap), 3: f('binaryData', { map: 'bytes64' }), 4: f('immutable', 'bool') },
  Secret: { 1: f('metadata', OBJECT_META), 2: f('data', { map: 'bytes64' }), 3: f('type', 'string'), 4: f('stringData', strMap), 5: f('immutable', 'bool') },
  ServiceAccount: { 1: f('metadata', OBJECT_META) },
  Service: {
    1: f('metadata', OBJECT_META),
    2: f('spec', {
      1: f('ports', { 1: f('name', 'string'), 2: f('protocol', 'string'), 3: f('port', 'int'), 4: f('targetPort', 'intstr'), 5: f('nodePort', 'int'), 6: f('appProtocol', 'string') }, true),
      2: f('selector', strMap), 3: f('clusterIP', 'string'), 4: f('type', 'string'), 5: f('externalIPs', 'string', true), 7: f('sessionAffinity', 'string'),
      8: f('loadBalancerIP', 'string'), 10: f('externalName', 'string'),
    }),
  },
  Pod: { 1: f('metadata', OBJECT_META), 2: f('spec', POD_SPEC) },
  Deployment: {
    1: f('metadata', OBJECT_META),
    2: f('spec', {
      1: f('replicas', 'int'), 2: f('selector', LABEL_SELECTOR), 3: f('template', POD_TEMPLATE),
      4: f('strategy', { 1: f('type', 'string'), 2: f('rollingUpdate', { 1: f('maxUnavailable', 'intstr'), 2: f('maxSurge', 'intstr') }) }),
      5: f('minReadySeconds', 'int'), 6: f('revisionHistoryLimit', 'int'), 7: f('paused', 'bool'), 9: f('progressDeadlineSeconds', 'int'),
    }),
  },
  Job: { 1: f('metadata', OBJECT_META), 2: f('spec', JOB_SPEC) },
  CronJob: {
    1: f('metadata', OBJECT_META),
    2: f('spec', {
      1: f('schedule', 'string'), 2: f('startingDeadlineSeconds', 'int'), 3: f('concurrencyPolicy', 'string'), 4: f('suspend', 'bool'),
      5: f('jobTemplate', { 1: f('metadata', OBJECT_META), 2: f('spec', JOB_SPEC) }), 6: f('successfulJobsHistoryLimit', 'int'), 7: f('failedJobsHistoryLimit', 'int'),
      8: f('timeZone', 'string'),
    }),
  },
};

/** Non-pointer Go ints whose zero value the apiserver's JSON omits. */
const OMIT_ZERO = new Set(['hostPort', 'nodePort', 'minReadySeconds']);

/** Varints arrive from decodeMessage as their decimal text. */
function scalar(type: Scalar, raw: Buffer, name: string): unknown {
  switch (type) {
    case 'string':
      return raw.toString('utf8');
    case 'bytes64':
      return raw.toString('base64');
    case 'int': {
      const n = Number(raw.toString());
      return n > 2 ** 53 ? n - 2 ** 64 : n;
    }
    case 'bool':
      return raw.toString() === '1';
    case 'quantity':
      return str(decodeMessage(raw), 1) ?? '0';
    case 'time': {
      // meta/v1 Time: seconds since the epoch (and nanos, dropped: JSON has second precision).
      const seconds = Number(decodeMessage(raw).get(1)?.[0]?.toString() ?? '0');
      return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'intstr': {
      const m = decodeMessage(raw);
      const kind = Number(m.get(1)?.[0]?.toString() ?? '0');
      return kind === 1 ? (str(m, 3) ?? '') : Number(m.get(2)?.[0]?.toString() ?? '0');
    }
  }
  throw new Error(`no decoder for ${name}`);
}

function isEmptyScalar(v: unknown, name: string): boolean {
  return v === '' || v === false || (v === 0 && OMIT_ZERO.has(name));
}

function decodeWith(schema: Schema, buf: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = decodeMessage(buf);
  for (const [no, values] of fields) {
    const def = schema[no];
    if (!def) continue;
    const t = def.type;
    const decodeOne = (raw: Buffer): unknown => {
      if (typeof t === 'string') return scalar(t, raw, def.name);
      if ('map' in t && typeof (t as { map?: unknown }).map === 'string') {
        const entry = decodeMessage(raw);
        const key = str(entry, 1) ?? '';
        const valueRaw = entry.get(2)?.[0] ?? Buffer.alloc(0);
        const vt = (t as { map: 'string' | 'bytes64' | 'quantity' }).map;
        return [key, scalar(vt, valueRaw, def.name)];
      }
      return decodeWith(t as Schema, raw);
    };
    if (typeof t === 'object' && 'map' in t && typeof (t as { map?: unknown }).map === 'string') {
      out[def.name] = Object.fromEntries(values.map((v) => decodeOne(v) as [string, unknown]));
    } else if (def.repeated) {
      out[def.name] = values.map(decodeOne);
    } else {
      const v = decodeOne(values[values.length - 1]);
      if (typeof t === 'string' && isEmptyScalar(v, def.name)) continue;
      out[def.name] = v;
    }
  }
  return out;
}

/** Decodes a protobuf-encoded object of one of the kinds kubectl's generators create, into JSON. */
export function decodeObject(body: Buffer): Record<string, unknown> {
  let kind: string | undefined;
  try {
    if (body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw new Error('missing the k8s protobuf magic');
    const unknown = decodeMessage(body.subarray(4));
    const typeMeta = strings(msg(unknown, 1), ['apiVersion', 'kind']);
    kind = typeMeta.kind;
    const schema = kind ? KINDS[kind] : undefined;
    if (!schema) throw new Error(`kind ${kind ?? '(none)'} is not one the demo fleet decodes from protobuf`);
    return { apiVersion: typeMeta.apiVersion, kind, ...decodeWith(schema, unknown.get(2)?.[0] ?? Buffer.alloc(0)) };
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (error decoding protobuf body: ${(e as Error).message}); send it as JSON, e.g. kubectl apply -f`);
  }
}
