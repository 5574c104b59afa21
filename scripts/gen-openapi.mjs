// Generates resources/openapi/k8s-schemas.json: OpenAPI v3 component schemas for every kind the demo
// fleet serves, derived from the API models @kubernetes/client-node ships (generated upstream from
// the Kubernetes OpenAPI spec): field names, types and formats from each model's attributeTypeMap,
// descriptions and required fields from its .d.ts. The models lose three things we add back here:
// each schema's Go package (its OpenAPI name), the Quantity/Time/IntOrString named types, and the
// list patch metadata (x-kubernetes-patch-merge-key/-strategy, list-type) kubectl's client-side
// apply computes strategic-merge patches from.
//
// Usage: node scripts/gen-openapi.mjs          write the file (only when its content changed)
//        node scripts/gen-openapi.mjs --check  exit 1 when the committed file is stale
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'package.json'));
const pkgDir = dirname(require.resolve('@kubernetes/client-node/package.json'));
const modelsDir = join(pkgDir, 'dist', 'gen', 'models');
const clientVersion = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const out = join(root, 'resources', 'openapi', 'k8s-schemas.json');

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** The kinds the demo serves, by client-node model name -> [group, version, kind]. */
const ROOTS = {
  V1Namespace: ['', 'v1', 'Namespace'],
  V1Node: ['', 'v1', 'Node'],
  V1Pod: ['', 'v1', 'Pod'],
  V1Service: ['', 'v1', 'Service'],
  V1Endpoints: ['', 'v1', 'Endpoints'],
  CoreV1Event: ['', 'v1', 'Event'],
  V1ConfigMap: ['', 'v1', 'ConfigMap'],
  V1Secret: ['', 'v1', 'Secret'],
  V1ServiceAccount: ['', 'v1', 'ServiceAccount'],
  V1Deployment: ['apps', 'v1', 'Deployment'],
  V1ReplicaSet: ['apps', 'v1', 'ReplicaSet'],
  V1StatefulSet: ['apps', 'v1', 'StatefulSet'],
  V1DaemonSet: ['apps', 'v1', 'DaemonSet'],
  V1ControllerRevision: ['apps', 'v1', 'ControllerRevision'],
  V1Job: ['batch', 'v1', 'Job'],
  V1CronJob: ['batch', 'v1', 'CronJob'],
  V1SelfSubjectAccessReview: ['authorization.k8s.io', 'v1', 'SelfSubjectAccessReview'],
  V1SelfSubjectRulesReview: ['authorization.k8s.io', 'v1', 'SelfSubjectRulesReview'],
  V1SubjectAccessReview: ['authorization.k8s.io', 'v1', 'SubjectAccessReview'],
  V1SelfSubjectReview: ['authentication.k8s.io', 'v1', 'SelfSubjectReview'],
  V1Scale: ['autoscaling', 'v1', 'Scale'],
  V1CustomResourceDefinition: ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'],
  V1PersistentVolumeClaim: ['', 'v1', 'PersistentVolumeClaim'],
  V1PersistentVolume: ['', 'v1', 'PersistentVolume'],
  V1ResourceQuota: ['', 'v1', 'ResourceQuota'],
  V1LimitRange: ['', 'v1', 'LimitRange'],
  V1ReplicationController: ['', 'v1', 'ReplicationController'],
  V1StorageClass: ['storage.k8s.io', 'v1', 'StorageClass'],
  V1PodDisruptionBudget: ['policy', 'v1', 'PodDisruptionBudget'],
  V1Ingress: ['networking.k8s.io', 'v1', 'Ingress'],
  V1CertificateSigningRequest: ['certificates.k8s.io', 'v1', 'CertificateSigningRequest'],
};
/** meta/v1 kinds the apiserver publishes with every group-version. */
const META_KINDS = { V1Status: 'Status', V1DeleteOptions: 'DeleteOptions', V1WatchEvent: 'WatchEvent', V1APIResourceList: 'APIResourceList' };

// The Go package of each model the roots reach, where it is not core/v1. client-node names models
// by kind only, so this is the one table that must follow upstream when a kind is added above.
const PACKAGES = [
  [META, /^V1(ObjectMeta|ListMeta|LabelSelector|LabelSelectorRequirement|ManagedFieldsEntry|OwnerReference|Condition|Status|StatusDetails|StatusCause|DeleteOptions|Preconditions|WatchEvent|APIResource|APIResourceList|FieldSelectorRequirement)$/],
  ['io.k8s.api.apps.v1', /^V1(Deployment|ReplicaSet|StatefulSet|DaemonSet|ControllerRevision|RollingUpdate)/],
  ['io.k8s.api.batch.v1', /^V1(Job|CronJob|PodFailurePolicy|SuccessPolicy|UncountedTerminatedPods)/],
  ['io.k8s.api.authorization.v1', /^V1(SelfSubject|SubjectAccessReview|SubjectRulesReview|ResourceAttributes|NonResourceAttributes|FieldSelectorAttributes|LabelSelectorAttributes|ResourceRule|NonResourceRule)/],
  ['io.k8s.api.autoscaling.v1', /^V1Scale(Spec|Status)?$/],
  ['io.k8s.api.authentication.v1', /^V1(SelfSubjectReview|UserInfo)/],
  ['io.k8s.api.storage.v1', /^V1StorageClass/],
  ['io.k8s.api.policy.v1', /^V1PodDisruptionBudget/],
  ['io.k8s.api.networking.v1', /^V1(Ingress|HTTPIngress|ServiceBackendPort)/],
  ['io.k8s.api.certificates.v1', /^V1CertificateSigningRequest/],
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1', /^V1(CustomResource|JSONSchemaProps|ExternalDocumentation|ValidationRule|SelectableField|ServiceReference|WebhookClientConfig|WebhookConversion)/],
];

function schemaName(model) {
  const bare = model.replace(/^(Core|Apiextensions)V1/, 'V1');
  const kind = bare.replace(/^V1/, '');
  for (const [pkg, re] of PACKAGES) if (re.test(bare)) return `${pkg}.${kind}`;
  return `io.k8s.api.core.v1.${kind}`;
}

// Patch metadata of list fields, as the upstream Go types declare it (+patchMergeKey,
// +patchStrategy, +listType, +listMapKey). m = merge key, s = strategy, t = list type, k = map keys.
const LISTS = {
  V1PodSpec: {
    containers: { m: 'name', s: 'merge', t: 'map', k: ['name'] },
    initContainers: { m: 'name', s: 'merge', t: 'map', k: ['name'] },
    ephemeralContainers: { m: 'name', s: 'merge', t: 'map', k: ['name'] },
    volumes: { m: 'name', s: 'merge,retainKeys', t: 'map', k: ['name'] },
    imagePullSecrets: { m: 'name', s: 'merge', t: 'map', k: ['name'] },
    hostAliases: { m: 'ip', s: 'merge', t: 'map', k: ['ip'] },
    topologySpreadConstraints: { m: 'topologyKey', s: 'merge', t: 'map', k: ['topologyKey', 'whenUnsatisfiable'] },
    schedulingGates: { m: 'name', s: 'merge', t: 'map', k: ['name'] },
    resourceClaims: { m: 'name', s: 'merge,retainKeys', t: 'map', k: ['name'] },
    tolerations: { t: 'atomic' },
    readinessGates: { t: 'atomic' },
  },
  V1Container: {
    ports: { m: 'containerPort', s: 'merge', t: 'map', k: ['containerPort', 'protocol'] },
    env: { m: 'name', s: 'merge', t: 'map', k: ['name'] },
    volumeMounts: { m: 'mountPath', s: 'merge', t: 'map', k: ['mountPath'] },
    volumeDevices: { m: 'devicePath', s: 'merge', t: 'map', k: ['devicePath'] },
    envFrom: { t: 'atomic' },
    command: { t: 'atomic' },
    args: { t: 'atomic' },
    resizePolicy: { t: 'atomic' },
  },
  V1PodStatus: {
    conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] },
    podIPs: { m: 'ip', s: 'merge', t: 'map', k: ['ip'] },
    hostIPs: { m: 'ip', s: 'merge', t: 'atomic' },
    resourceClaimStatuses: { m: 'name', s: 'merge,retainKeys', t: 'map', k: ['name'] },
    containerStatuses: { t: 'atomic' },
    initContainerStatuses: { t: 'atomic' },
    ephemeralContainerStatuses: { t: 'atomic' },
  },
  V1ObjectMeta: {
    finalizers: { s: 'merge', t: 'set' },
    ownerReferences: { m: 'uid', s: 'merge', t: 'map', k: ['uid'] },
    managedFields: { t: 'atomic' },
  },
  V1NodeSpec: { podCIDRs: { s: 'merge', t: 'set' }, taints: { t: 'atomic' } },
  V1NodeStatus: {
    conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] },
    addresses: { m: 'type', s: 'merge', t: 'map', k: ['type'] },
    images: { t: 'atomic' },
    volumesInUse: { t: 'atomic' },
    volumesAttached: { t: 'atomic' },
  },
  V1NamespaceStatus: { conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] } },
  V1ServiceSpec: {
    ports: { m: 'port', s: 'merge', t: 'map', k: ['port', 'protocol'] },
    clusterIPs: { t: 'atomic' },
    externalIPs: { t: 'atomic' },
    ipFamilies: { t: 'atomic' },
    loadBalancerSourceRanges: { t: 'atomic' },
  },
  V1ServiceStatus: { conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] } },
  V1ServiceAccount: { secrets: { m: 'name', s: 'merge', t: 'atomic' }, imagePullSecrets: { t: 'atomic' } },
  V1Endpoints: { subsets: { t: 'atomic' } },
  V1DeploymentStatus: { conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] } },
  V1ReplicaSetStatus: { conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] } },
  V1StatefulSetStatus: { conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] } },
  V1DaemonSetStatus: { conditions: { m: 'type', s: 'merge', t: 'map', k: ['type'] } },
  V1StatefulSetSpec: { volumeClaimTemplates: { t: 'atomic' } },
  V1JobStatus: { conditions: { m: 'type', s: 'merge', t: 'atomic' } },
  V1CronJobStatus: { active: { t: 'atomic' } },
  V1LabelSelector: { matchExpressions: { t: 'atomic' } },
  V1CustomResourceDefinitionSpec: { versions: { t: 'atomic' } },
  V1CustomResourceDefinitionStatus: { conditions: { t: 'map', k: ['type'] } },
};
// EphemeralContainer carries the same list fields as Container.
LISTS.V1EphemeralContainer = LISTS.V1Container;

/** Non-list fields with a patch strategy: a Deployment's strategy drops keys the patch leaves out. */
const FIELD_STRATEGY = { V1DeploymentSpec: { strategy: 'retainKeys' } };

/** Fields holding resource.Quantity values (client-node types them as plain strings). */
const QUANTITY_FIELDS = {
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V1NodeStatus: ['capacity', 'allocatable'],
  V1ContainerStatus: ['allocatedResources'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1ResourceFieldSelector: ['divisor'],
  V1PodSpec: ['overhead'],
  V1PersistentVolumeClaimStatus: ['capacity', 'allocatedResources'],
  V1PersistentVolumeSpec: ['capacity'],
  V1ResourceQuotaSpec: ['hard'],
  V1ResourceQuotaStatus: ['hard', 'used'],
  V1LimitRangeItem: ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'],
};

/** Descriptions and required fields of a model from its .d.ts JSDoc. */
function readDts(model) {
  const text = readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
  const unescape = (s) => s.replace(/\\(['"\\])/g, '$1').trim();
  const comment = (block) => unescape(block.split('\n').map((l) => l.replace(/^\s*\*\s?/, '')).join('\n').trim());
  const cls = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(text);
  const fields = {};
  const required = [];
  const re = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([^']+)'(\?)?:/g;
  const body = text.slice(text.indexOf('export declare class'));
  for (let m; (m = re.exec(body)); ) {
    if (m[1]) fields[m[2]] = comment(m[1]);
    if (!m[3]) required.push(m[2]);
  }
  return { description: cls ? comment(cls[1]) : '', fields, required };
}

const models = {};
async function loadModel(model) {
  if (models[model]) return models[model];
  const file = join(modelsDir, `${model}.js`);
  if (!existsSync(file)) throw new Error(`gen-openapi: @kubernetes/client-node ${clientVersion} has no model ${model} (${file})`);
  const mod = await import(file);
  const cls = mod[model];
  models[model] = { attrs: cls.getAttributeTypeMap(), dts: readDts(model) };
  return models[model];
}

const named = {
  // As kube-openapi publishes them in v3: oneOf with no type, so `kubectl explain` names the type.
  [QUANTITY]: { description: 'A fixed-point number with a suffix: 128974848, 129e6, 129M, 123Mi, 500m (milli), 0.5.', oneOf: [{ type: 'string' }, { type: 'number' }] },
  // No description: client-node already gives every IntOrString field the type's description.
  [INT_OR_STRING]: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  [`${META}.Time`]: { type: 'string', format: 'date-time', description: 'A timestamp in RFC 3339 form, with second precision.' },
  [`${META}.MicroTime`]: { type: 'string', format: 'date-time', description: 'A timestamp in RFC 3339 form, with microsecond precision.' },
};
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const pending = [];
/** Models whose description was lent to a field that has none (see modelSchema). */
const lent = new Set();

/** The OpenAPI schema of one client-node attribute type. */
function typeSchema(type, format, quantity) {
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) return { type: 'array', items: typeSchema(m[1], format, quantity) };
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return { type: 'object', additionalProperties: typeSchema(m[1], format, quantity) };
  switch (type) {
    case 'string':
      if (quantity) return ref(QUANTITY);
      return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
    case 'number':
      return format === 'double' ? { type: 'number', format: 'double' } : { type: 'integer', format: format || 'int64' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
    case 'V1MicroTime':
      return ref(format === 'date-time-micro' ? `${META}.MicroTime` : `${META}.Time`);
    case 'IntOrString':
      return ref(INT_OR_STRING);
    case 'any':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    default:
      if (!/^(Core|Apiextensions)?V1[A-Z]\w*$/.test(type)) throw new Error(`gen-openapi: unexpected client-node type ${JSON.stringify(type)}`);
      pending.push(type);
      return ref(schemaName(type));
  }
}

async function modelSchema(model) {
  const { attrs, dts } = await loadModel(model);
  const properties = {};
  for (const a of attrs) {
    let s = typeSchema(a.type, a.format, QUANTITY_FIELDS[model]?.includes(a.baseName));
    let description = dts.fields[a.name] ?? dts.fields[a.baseName];
    if (s.$ref) {
      // client-node drops the description of fields that reference another model; the referenced
      // type's own description is the best we have. The type then loses it (generate() below), or
      // `kubectl explain` of the field would print it twice. v3 ignores siblings of $ref: wrap.
      if (!description && /^(Core|Apiextensions)?V1/.test(a.type)) {
        description = (await loadModel(a.type)).dts.description;
        if (description) lent.add(a.type);
      }
      if (description) s = { allOf: [s], description };
    } else if (description) s = { description, ...s };
    const list = LISTS[model]?.[a.baseName];
    if (list) {
      if (list.m) s['x-kubernetes-patch-merge-key'] = list.m;
      if (list.s) s['x-kubernetes-patch-strategy'] = list.s;
      if (list.t) s['x-kubernetes-list-type'] = list.t;
      if (list.k) s['x-kubernetes-list-map-keys'] = list.k;
    }
    const strategy = FIELD_STRATEGY[model]?.[a.baseName];
    if (strategy) s['x-kubernetes-patch-strategy'] = strategy;
    properties[a.baseName] = s;
  }
  const schema = { description: dts.description || undefined, type: 'object', properties };
  const required = dts.required.filter((r) => properties[r]);
  if (required.length) schema.required = required;
  return schema;
}

async function generate() {
  const schemas = { ...named };
  const gvk = {};
  for (const [model, [group, version, kind]] of Object.entries(ROOTS)) {
    gvk[model] = { group, version, kind };
    const list = `${model}List`;
    if (existsSync(join(modelsDir, `${list}.js`))) gvk[list] = { group, version, kind: `${kind}List` };
  }
  for (const [model, kind] of Object.entries(META_KINDS)) gvk[model] = { group: '', version: 'v1', kind };
  pending.push(...Object.keys(gvk));
  const done = new Set();
  while (pending.length) {
    const model = pending.shift();
    if (done.has(model)) continue;
    done.add(model);
    const s = await modelSchema(model);
    if (gvk[model]) s['x-kubernetes-group-version-kind'] = [gvk[model]];
    const name = schemaName(model);
    if (schemas[name]) throw new Error(`gen-openapi: two models map to ${name} (second: ${model}); extend PACKAGES`);
    schemas[name] = s;
  }
  for (const model of lent) if (!gvk[model]) delete schemas[schemaName(model)].description;
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { source: `@kubernetes/client-node ${clientVersion}`, schemas: sorted };
}

const doc = await generate();
const text = `${JSON.stringify(doc)}\n`;
const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`gen-openapi: ${out} is stale; run node scripts/gen-openapi.mjs`);
    process.exit(1);
  }
} else if (current !== text) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`gen-openapi: wrote ${Object.keys(doc.schemas).length} schemas (${Math.round(text.length / 1024)} KiB) to ${out}`);
}
