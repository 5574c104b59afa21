// Server-side apply field ownership (electron/demo/api/field-manager.ts) and fieldValidation.
import { describe, expect, it } from 'vitest';
import type { ManagedFieldsEntry } from '../../electron/demo/api/field-manager.js';
import { conflictMessage, fieldPaths, fromFieldsV1, printPath, recordUpdate, serverSideApply, toFieldsV1 } from '../../electron/demo/api/field-manager.js';
import { checkAppliedFields, checkFields, fieldValidationOf } from '../../electron/demo/api/field-validation.js';
import { ApiError } from '../../electron/demo/api/status.js';

const T = '2026-11-24T10:00:00Z';

const deploy = (replicas: number, image = 'web:1', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'it', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }], ...extra }] },
    },
  },
});

function applied(live: unknown, config: unknown, manager = 'kubectl', force = false) {
  const r = serverSideApply({ live, applied: config, manager, apiVersion: 'apps/v1', time: T, force });
  if (!r.ok) throw new Error(conflictMessage(r.conflicts));
  return { ...r.object, metadata: { ...r.object.metadata, managedFields: r.managedFields } };
}

describe('fieldsV1', () => {
  it('uses f: fields, k: keyed items with a . mark, keeps a LabelSelector atomic, and skips identity metadata', () => {
    const v1 = toFieldsV1(fieldPaths(deploy(2)));
    expect(v1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
            },
          },
        },
      },
    });
  });

  it('round-trips through the JSON form and prints paths as conflicts do', () => {
    const paths = fieldPaths(deploy(2));
    expect(fromFieldsV1(toFieldsV1(paths))).toEqual(paths);
    const image = [...paths].find((p) => p.endsWith('f:image'))!;
    expect(printPath(image)).toBe('.spec.template.spec.containers[name="web"].image');
  });

  it('finalizers are a set (v: items); other scalar lists are atomic', () => {
    const v1 = toFieldsV1(fieldPaths({ metadata: { finalizers: ['a/b'] }, spec: { template: { spec: { containers: [{ name: 'c', args: ['x', 'y'] }] } } } }));
    expect(v1['f:metadata']).toEqual({ 'f:finalizers': { 'v:"a/b"': {} } });
    expect(JSON.stringify(v1)).toContain('"f:args":{}');
  });
});

describe('serverSideApply', () => {
  it('creates with one Apply entry and updates the applier\'s own fields without conflict', () => {
    const first = applied(undefined, deploy(2));
    expect(first.metadata.managedFields).toHaveLength(1);
    const second = applied(first, deploy(2, 'web:2'));
    expect(second.spec.template.spec.containers[0].image).toBe('web:2');
    expect(second.metadata.managedFields.map((e: ManagedFieldsEntry) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply']);
  });

  it('conflicts when another manager owns a field with a different value; equal values are shared', () => {
    const live = applied(undefined, deploy(2));
    const scaled = { ...live, spec: { ...live.spec, replicas: 5 } };
    scaled.metadata = { ...live.metadata, managedFields: recordUpdate({ live, next: scaled, base: live.metadata.managedFields, manager: 'kubectl-edit', apiVersion: 'apps/v1', time: T }) };
    const r = serverSideApply({ live: scaled, applied: deploy(3), manager: 'kubectl', apiVersion: 'apps/v1', time: T, force: false });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(conflictMessage(r.conflicts)).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
    // Applying the value the other manager set shares it: no conflict.
    const shared = applied(scaled, deploy(5));
    expect(shared.metadata.managedFields.map((e: ManagedFieldsEntry) => e.manager)).toEqual(['kubectl-edit', 'kubectl']);
  });

  it('force takes the field; the other manager keeps nothing and disappears', () => {
    const live = applied(undefined, deploy(2));
    const scaled = { ...live, spec: { ...live.spec, replicas: 5 } };
    scaled.metadata = { ...live.metadata, managedFields: recordUpdate({ live, next: scaled, base: live.metadata.managedFields, manager: 'kubectl', apiVersion: 'apps/v1', time: T, subresource: 'scale' }) };
    const forced = applied(scaled, deploy(3), 'kubectl', true);
    expect(forced.spec.replicas).toBe(3);
    expect(forced.metadata.managedFields.map((e: ManagedFieldsEntry) => e.manager)).toEqual(['kubectl']);
  });

  it('two appliers: a field one stops applying stays while the other still owns it, and goes when neither does', () => {
    const a = applied(undefined, deploy(2, 'web:1', { env: [{ name: 'MODE', value: 'fast' }] }), 'team-a');
    const b = applied(a, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'MODE', value: 'fast' }] }] } } } }, 'team-b');
    const aDrops = applied(b, deploy(2), 'team-a');
    expect(aDrops.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'fast' }]);
    const alone = applied(a, deploy(2), 'team-a');
    expect(alone.spec.template.spec.containers[0].env).toEqual([]);
  });
});

describe('recordUpdate', () => {
  it('gives the updater the fields it changed and takes them from the applier', () => {
    const live = applied(undefined, deploy(2));
    const next = structuredClone(live);
    next.spec.template.spec.containers[0].image = 'web:9';
    next.metadata.labels = { app: 'web', tier: 'front' };
    const entries = recordUpdate({ live, next, base: live.metadata.managedFields, manager: 'kubectl-edit', apiVersion: 'apps/v1', time: T });
    const edit = entries.find((e) => e.manager === 'kubectl-edit')!;
    expect(edit.operation).toBe('Update');
    expect(edit.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:tier': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } },
    });
    const applier = JSON.stringify(entries.find((e) => e.manager === 'kubectl')!.fieldsV1);
    expect(applier).not.toContain('f:image');
    expect(applier).toContain('"k:{\\"name\\":\\"web\\"}":{".":{}');
  });

  it('a new list item and a new map are claimed with their . marks', () => {
    const live = applied(undefined, deploy(2));
    const next = structuredClone(live);
    next.spec.template.spec.containers.push({ name: 'sidecar', image: 's:1' });
    next.spec.template.metadata.annotations = { a: 'b' };
    const edit = recordUpdate({ live, next, base: live.metadata.managedFields, manager: 'kubectl-edit', apiVersion: 'apps/v1', time: T }).find((e) => e.manager === 'kubectl-edit')!;
    expect(edit.fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:metadata': { 'f:annotations': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
  });

  it('an update that changes nothing adds no entry', () => {
    const live = applied(undefined, deploy(2));
    expect(recordUpdate({ live, next: structuredClone(live), base: live.metadata.managedFields, manager: 'x', apiVersion: 'apps/v1', time: T })).toEqual(live.metadata.managedFields);
  });
});

describe('fieldValidation', () => {
  const q = (v: string) => new URLSearchParams({ fieldValidation: v });
  const bad = () => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 1, dataa: 1, template: { spec: { containers: [{ name: 'c', imagee: 'x' }] } } } });

  it('Strict refuses with the decoder message (or the patch message), naming every unknown field', () => {
    let err: unknown;
    try {
      checkFields('Strict', 'apps/v1', 'Deployment', bad(), [], true);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.dataa", unknown field "spec.template.spec.containers[0].imagee"' });
    expect(() => checkFields('Strict', 'apps/v1', 'Deployment', bad(), [], false)).toThrow(/^strict decoding error: unknown field "spec.dataa"/);
  });

  it('Warn drops and reports; Ignore drops silently; absent leaves the object alone', () => {
    const warnings: string[] = [];
    const w = bad();
    checkFields(fieldValidationOf(q('Warn')), 'apps/v1', 'Deployment', w, warnings, true);
    expect(warnings).toEqual(['unknown field "spec.dataa"', 'unknown field "spec.template.spec.containers[0].imagee"']);
    expect(w.spec).not.toHaveProperty('dataa');
    const i = bad();
    const none: string[] = [];
    checkFields(fieldValidationOf(q('Ignore')), 'apps/v1', 'Deployment', i, none, true);
    expect(none).toEqual([]);
    expect(i.spec.template.spec.containers[0]).toEqual({ name: 'c' });
    const a = bad();
    checkFields(fieldValidationOf(new URLSearchParams()), 'apps/v1', 'Deployment', a, none, true);
    expect(a.spec).toHaveProperty('dataa');
    expect(() => fieldValidationOf(q('strict'))).toThrow(/fieldValidation must be one of/);
  });

  it('a Rollout keeps what its open (preserve-unknown-fields) parts hold; its typed pod template still drops', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: {
        replicas: 2,
        strategy: { canary: { trafficRouting: { nginx: { stableIngress: 'x' } } } },
        template: { spec: { containers: [{ name: 'c', image: 'i', imagee: 'typo' }] } },
      },
    };
    const warnings: string[] = [];
    checkFields('Warn', 'argoproj.io/v1alpha1', 'Rollout', rollout, warnings, true);
    expect(warnings).toEqual(['unknown field "spec.template.spec.containers[0].imagee"']);
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({ nginx: { stableIngress: 'x' } });
    expect(rollout.spec.template.spec.containers[0]).toEqual({ name: 'c', image: 'i' });
  });

  it('an applied configuration with unknown fields fails as the typed conversion does, keyed items by key', () => {
    expect(() => checkAppliedFields('apps/v1', 'Deployment', bad())).toThrow(
      'failed to create typed patch object (apps/v1, Kind=Deployment): .spec.dataa: field not declared in schema, .spec.template.spec.containers[name="c"].imagee: field not declared in schema',
    );
    expect(() => checkAppliedFields('apps/v1', 'Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1 } })).not.toThrow();
  });
});
