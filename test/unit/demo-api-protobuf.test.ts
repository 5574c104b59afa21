// The protobuf bodies kubectl sends (auth can-i, create generators), decoded into their JSON shape.
import { describe, expect, it } from 'vitest';
import { decodeObject, decodeReview } from '../../electron/demo/api/protobuf.js';

/** Length-delimited field. */
const ld = (field: number, value: Buffer | string) => {
  const b = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
};
const varint = (field: number, n: number) => Buffer.from([(field << 3) | 0, n]);
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])), ld(2, raw)]);

describe('kubernetes protobuf bodies', () => {
  it('decodes a SelfSubjectAccessReview', () => {
    const attrs = Buffer.concat([ld(1, 'inference'), ld(2, 'delete'), ld(3, 'apps'), ld(5, 'deployments')]);
    const review = decodeReview(envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', Buffer.concat([ld(1, Buffer.alloc(0)), ld(2, ld(1, attrs))])));
    expect(review.spec).toEqual({ resourceAttributes: { namespace: 'inference', verb: 'delete', group: 'apps', resource: 'deployments' } });
  });

  it('decodes a Deployment as kubectl create deployment sends it, dropping Go zero values', () => {
    const meta = Buffer.concat([ld(1, 'web'), ld(2, ''), ld(3, 'inference'), ld(11, Buffer.concat([ld(1, 'app'), ld(2, 'web')]))]);
    const container = Buffer.concat([ld(1, 'web'), ld(2, 'nginx:1.27'), ld(5, ''), ld(6, Buffer.concat([varint(3, 80), ld(4, 'TCP')])), ld(8, Buffer.alloc(0))]);
    const podSpec = Buffer.concat([ld(2, container), ld(3, '')]);
    const template = Buffer.concat([ld(1, ld(11, Buffer.concat([ld(1, 'app'), ld(2, 'web')]))), ld(2, podSpec)]);
    const selector = ld(1, Buffer.concat([ld(1, 'app'), ld(2, 'web')]));
    const spec = Buffer.concat([varint(1, 3), ld(2, selector), ld(3, template), ld(4, Buffer.alloc(0)), varint(5, 0)]);
    const d = decodeObject(envelope('apps/v1', 'Deployment', Buffer.concat([ld(1, meta), ld(2, spec)])));
    expect(d).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'inference', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }] } },
        strategy: {},
      },
    });
  });

  it('rejects kinds it has no schema for, and garbage, with a 400', () => {
    expect(() => decodeObject(envelope('v1', 'Frob', Buffer.alloc(0)))).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => decodeObject(Buffer.from('not protobuf'))).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => decodeReview(Buffer.from('k8s\0\x0a\xff', 'latin1'))).toThrow(expect.objectContaining({ code: 400 }));
  });
});
