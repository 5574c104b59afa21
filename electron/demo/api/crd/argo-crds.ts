// The Argo Rollouts CustomResourceDefinitions the demo cluster has installed (as `kubectl apply -f
// install.yaml` would): rollouts, analysisruns, analysistemplates and experiments.argoproj.io.
// Their schemas are the demo's Argo schemas (openapi/argo.ts) with every reference inlined, as a
// CRD's structural schema must be. Serving them still uses the built-in table's entries (with
// their richer OpenAPI references and printers), but only while these CRDs exist (served.ts).
import type { KubeObject, ObjectStore } from '../../store.js';
import type { Schema } from '../openapi/schemas.js';
import { schemaIndex } from '../openapi/schemas.js';
import { argoSchemaName } from '../openapi/argo.js';
import { RESOURCES } from '../registry.js';
import { CRD_KEY } from './served.js';
import { crdStatus } from './definition.js';

const REF = '#/components/schemas/';

/** A schema with its $refs replaced by the referenced schemas, in CRD (structural) form. */
function inline(schemas: Record<string, Schema>, s: Schema, depth = 0): Schema {
  if (depth > 40) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (typeof s.$ref === 'string') return inline(schemas, schemas[s.$ref.slice(REF.length)] ?? {}, depth + 1);
  if (Array.isArray(s.allOf) && s.allOf.length === 1) {
    const { allOf, ...rest } = s;
    return { ...inline(schemas, allOf[0] as Schema, depth + 1), ...rest };
  }
  if (Array.isArray(s.oneOf)) {
    // IntOrString and Quantity: the structural form of "integer or string".
    const { oneOf: _oneOf, format: _format, ...rest } = s;
    return { ...rest, 'x-kubernetes-int-or-string': true };
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'x-kubernetes-group-version-kind') continue;
    if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, ps]) => [p, inline(schemas, ps, depth + 1)]));
    else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object') out[k] = inline(schemas, v as Schema, depth + 1);
    else out[k] = v;
  }
  return out;
}

/** The CRD objects of the Argo kinds the built-in table lists as installed by a CRD. */
export function argoCrds(): KubeObject[] {
  const { schemas } = schemaIndex();
  return RESOURCES.filter((r) => r.fromCrd).map((r) => {
    const { metadata: _metadata, ...schema } = inline(schemas, schemas[argoSchemaName(r.kind)]) as Schema & { metadata?: unknown };
    const props = { ...(schema.properties as Record<string, Schema>) };
    delete props.metadata;
    const hasStatus = r.subresources.some((s) => s.name === 'status');
    const hasScale = r.subresources.some((s) => s.name === 'scale');
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${r.plural}.${r.group}`, labels: { 'app.kubernetes.io/name': 'argo-rollouts', 'app.kubernetes.io/part-of': 'argo-rollouts' } },
      spec: {
        group: r.group,
        scope: 'Namespaced',
        names: { plural: r.plural, singular: r.singular, kind: r.kind, listKind: `${r.kind}List`, ...(r.shortNames ? { shortNames: r.shortNames } : {}) },
        versions: [{
          name: r.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { ...schema, properties: { ...props, metadata: { type: 'object' } } } },
          ...(hasStatus || hasScale ? {
            subresources: {
              ...(hasStatus ? { status: {} } : {}),
              ...(hasScale ? { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.HPAReplicas', labelSelectorPath: '.status.selector' } } : {}),
            },
          } : {}),
          ...(r.kind === 'Rollout' ? {
            additionalPrinterColumns: [
              { name: 'Desired', type: 'integer', description: 'Number of desired pods', jsonPath: '.spec.replicas' },
              { name: 'Current', type: 'integer', description: 'Total number of non-terminated pods targeted by this rollout', jsonPath: '.status.replicas' },
              { name: 'Up-to-date', type: 'integer', description: 'Total number of non-terminated pods targeted by this rollout that have the desired template spec', jsonPath: '.status.updatedReplicas' },
              { name: 'Available', type: 'integer', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout', jsonPath: '.status.availableReplicas' },
              { name: 'Age', type: 'date', description: 'Time since resource was created', jsonPath: '.metadata.creationTimestamp' },
            ],
          } : {}),
        }],
      },
    };
  });
}

/**
 * Installs the Argo CRDs, already Established, into a store that lacks them (a fresh demo cluster
 * has Argo Rollouts), so no status write follows the server's start.
 */
export function installArgoCrds(store: ObjectStore, nowIso: string): void {
  for (const crd of argoCrds()) {
    if (store.peekOne(CRD_KEY, undefined, crd.metadata.name)) continue;
    crd.status = crdStatus(crd, nowIso);
    store.create(CRD_KEY, crd, { handOver: true });
  }
}
