// The redactor's rules, one kind of secret at a time, and its guarantees: copy-on-write (the plan the
// server keeps is never touched), idempotent, fingerprints that change with the value.
import { describe, expect, it } from 'vitest';
import { atPointer, createRedactor, isRedactionMarker, literalEnvValues } from '../../shared/model/redact.js';
import { redactObject, redactPayload, secretRedactor } from '../../electron/core/secrets/redactor.js';

// A test fingerprint that shows the length (hex): markers are predictable, and still valid markers.
const plain = createRedactor((v) => `f${v.length.toString(16)}`);
const m = (n: number) => `<redacted: ${n} chars #f${n.toString(16)}>`;

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    labels: { app: 'api' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
        spec: { template: { spec: { containers: [{ name: 'api', env: [{ name: 'DB_PASSWORD', value: 'pw-in-annotation' }], args: ['--token=tok-in-annotation'] }] } } },
      }),
      'kubernetes.io/change-cause': 'kubectl set env deployment/api HF_TOKEN=hf-in-cause',
    },
  },
  spec: {
    template: {
      spec: {
        volumes: [{ name: 'creds', secret: { secretName: 'db-creds' } }],
        containers: [
          {
            name: 'api',
            image: 'api:1',
            env: [
              { name: 'DB_PASSWORD', value: 'pw-literal' },
              { name: 'LOG_LEVEL', value: 'debug' },
              { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
            ],
            args: ['--db=postgres://app:pw-in-url@db:5432/app', '--api-key=key-eq', '--password', 'pw-two-token', '--verbose', 'serve'],
            command: ['sh', '-c', 'exec server --client-secret "quoted secret" --port 80'],
          },
        ],
      },
    },
  },
});

const LITERALS = ['pw-in-annotation', 'tok-in-annotation', 'hf-in-cause', 'pw-literal', 'debug', 'pw-in-url', 'key-eq', 'pw-two-token', 'quoted secret'];

describe('redactObject', () => {
  it('leaves no literal secret of any kind in the object', () => {
    const text = JSON.stringify(plain.redactObject(deployment()));
    for (const literal of LITERALS) expect(text, literal).not.toContain(literal);
  });

  it('keeps what is not secret: valueFrom refs, names, images, other args, labels, secret names', () => {
    const out = plain.redactObject(deployment());
    const c = out.spec.template.spec.containers[0];
    expect(c.env[2]).toEqual({ name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } });
    expect(c.env[0]).toEqual({ name: 'DB_PASSWORD', value: m(10) });
    expect(c.image).toBe('api:1');
    expect(c.args).toEqual([`--db=postgres://app:${m(9)}@db:5432/app`, `--api-key=${m(6)}`, '--password', m(12), '--verbose', 'serve']);
    expect(c.command[2]).toBe(`exec server --client-secret ${m(13)} --port 80`);
    expect(out.spec.template.spec.volumes[0].secret.secretName).toBe('db-creds');
    expect(out.metadata.labels).toEqual({ app: 'api' });
    const applied = JSON.parse(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(applied.spec.template.spec.containers[0].env[0].value).toBe(m(16));
    expect(out.metadata.annotations['kubernetes.io/change-cause']).toBe(`kubectl set env deployment/api HF_TOKEN=${m(11)}`);
  });

  it('never mutates its input and returns the same reference when nothing is secret', () => {
    const input = deployment();
    const before = JSON.stringify(input);
    plain.redactObject(input);
    expect(JSON.stringify(input)).toBe(before);
    const clean = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', args: ['--port=80'] }] } };
    expect(plain.redactObject(clean)).toBe(clean);
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    const once = plain.redactObject(deployment());
    expect(plain.redactObject(once)).toEqual(once);
    expect(plain.redact(once)).toEqual(once);
  });

  it('drops Secret payloads and secret-named fields of Kubernetes objects, not of contract payloads', () => {
    const secret = { kind: 'Secret', metadata: { name: 's' }, data: { password: 'cHc=' }, stringData: { token: 'tok' } };
    expect(JSON.stringify(plain.redactObject(secret))).not.toMatch(/cHc=|"tok"/);
    const crd = { kind: 'Thing', metadata: { name: 't' }, spec: { apiToken: 'abc123', tokenPath: '/var/run/t' } };
    expect(plain.redactObject(crd).spec).toEqual({ apiToken: m(6), tokenPath: '/var/run/t' });
    const plan = { token: 'plan-token-stays', requests: [] };
    expect(plain.redact(plan)).toBe(plan);
  });
});

describe('redact (contract payloads)', () => {
  it('redacts templates inside plan requests and JSON patch ops that set env values', () => {
    const requests = [
      { method: 'PATCH', path: '/x', body: [{ op: 'replace', path: '/spec/template', value: deployment().spec.template }] },
      { method: 'PATCH', path: '/y', body: [{ op: 'add', path: '/spec/template/spec/containers/0/env/1/value', value: 'pw-patch-op' }] },
    ];
    const text = JSON.stringify(plain.redact({ requests }));
    for (const literal of ['pw-literal', 'pw-in-url', 'pw-two-token', 'pw-patch-op']) expect(text).not.toContain(literal);
  });

  it('redacts URL passwords and flags inside free text (diff lines, error messages)', () => {
    expect(plain.redactText('+  - --db=redis://:hunter2@cache:6379')).toBe(`+  - --db=redis://:${m(7)}@cache:6379`);
    expect(plain.redactText('dial mysql://u:p@ss@w@db/x failed')).toBe(`dial mysql://u:${m(6)}@db/x failed`);
    expect(plain.redactText('["--auth-token=abc","x"]')).toBe(`["--auth-token=${m(3)}","x"]`);
    expect(plain.redactText('see http://example.com/a--b and --port=80')).toBe('see http://example.com/a--b and --port=80');
  });

  it('secret flags are those with a word ending in a secret word; model-server flags like --tokenizer stay readable', () => {
    expect(plain.redactText('--hfToken=abc --client_secret x1 --db.password=p')).toBe(`--hfToken=${m(3)} --client_secret ${m(2)} --db.password=${m(1)}`);
    const vllm = ['--model', 'meta-llama/Llama-3-8B', '--tokenizer', 'meta-llama/Llama-3-8B', '--max-num-batched-tokens=8192', '--tokenizer-mode', 'auto'];
    expect(plain.redact(vllm)).toBe(vllm);
    expect(plain.redactText('serve --port 8080 --auth-token s3 --verbose')).toBe(`serve --port 8080 --auth-token ${m(2)} --verbose`);
  });

  it('leaves numbers, typed arrays and big numeric arrays untouched (same reference)', () => {
    const grid = { values: new Float32Array(8), series: [{ values: [1, 2, null, 4] }] };
    expect(plain.redact(grid)).toBe(grid);
  });
});

describe('the main process redactor', () => {
  it('fingerprints with a keyed hash: equal values agree, different values differ, not a plain SHA-256 prefix', async () => {
    const a = secretRedactor.marker('hunter2');
    expect(a).toMatch(/^<redacted: 7 chars #[0-9a-f]{6}>$/);
    expect(isRedactionMarker(a)).toBe(true);
    expect(secretRedactor.marker('hunter2')).toBe(a);
    expect(secretRedactor.marker('hunter3')).not.toBe(a);
    const { createHash } = await import('node:crypto');
    expect(a).not.toContain(createHash('sha256').update('hunter2').digest('hex').slice(0, 6));
    expect(JSON.stringify(redactObject(deployment()))).not.toContain('pw-literal');
    expect(JSON.stringify(redactPayload({ t: deployment().spec.template }))).not.toContain('pw-literal');
  });
});

describe('literalEnvValues and atPointer', () => {
  it('lists every literal env value with a pointer that finds it', () => {
    const object = deployment();
    const refs = literalEnvValues(object);
    expect(refs.map((r) => [r.container, r.env, r.path])).toEqual([
      ['api', 'DB_PASSWORD', '/spec/template/spec/containers/0/env/0/value'],
      ['api', 'LOG_LEVEL', '/spec/template/spec/containers/0/env/1/value'],
    ]);
    expect(atPointer(object, refs[0].path)).toBe('pw-literal');
    expect(atPointer(object, '/spec/nope/0')).toBeUndefined();
  });
});

describe('vouched payload values', () => {
  it('are frozen deeply and passed by later payload walks, not by Kubernetes-object walks', () => {
    const alert = plain.vouch(plain.redact({ name: 'A', labels: { url: 'https://u:pw@host/x' }, silencedBy: ['s1'] }));
    expect(alert.labels.url).toBe(`https://u:${m(2)}@host/x`);
    expect(Object.isFrozen(alert) && Object.isFrozen(alert.labels) && Object.isFrozen(alert.silencedBy)).toBe(true);
    expect(() => {
      (alert.labels as Record<string, string>).url = 'https://u:leak@host/x';
    }).toThrow(TypeError);
    const answer = { groups: [{ alerts: [alert] }] };
    expect(plain.redact(answer)).toBe(answer); // nothing walked, nothing copied
    // A walk that does not trust the mark (Kubernetes objects have more rules) still walks it.
    const secretNamed = plain.vouch({ password: 'plain' });
    expect(plain.redactObject({ spec: secretNamed }).spec.password).toBe(m(5));
    // An unvouched sibling is still redacted.
    const mixed = { alerts: [alert, { labels: { url: 'https://u:pw2@host' } }] };
    expect(plain.redact(mixed).alerts[1]).toEqual({ labels: { url: `https://u:${m(3)}@host` } });
  });
});
