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
