// The generic actions for any kind on the action road: delete, and edit YAML through server-side
// apply. A plan for an edit runs the apply as a dry run first (dryRun=All), so the confirm dialog
// shows what the server would store (defaults, admission) as a diff, and a field-manager conflict
// as a warning before anything is written. Execute re-reads the object and refuses a stale plan.
import { z } from 'zod';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { createTwoFilesPatch } from 'diff';
import { ContractError } from '../../../shared/contract-kit.js';
import type { AccessCheck, ActionTarget, PlannedRequest } from '../../../shared/contract/actions.js';
import { parseResourceKindName, resourceKindName, type ResourceRef } from '../../../shared/contract/browser.js';
import { defineActionHandler, type ActionDraft, type ActionHandler } from '../actions/index.js';
import { KubeError, kubeRequest } from '../kube/index.js';
import { redactObject } from '../secrets/index.js';
import { editableOf, objectUrl, toYaml } from './object-details.js';

export const FIELD_MANAGER = 'flightdeck';
export const APPLY_PATCH = 'application/apply-patch+yaml';
const REDACTION_MARKER = /<redacted: \d+ chars #[0-9a-f]+>/;

type KubeObject = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } };

export interface ResourceActionDeps {
  configFor(context: string): KubeConfig;
}

/** The collection a target names (its kind is `plural.version.group`); a clear refusal otherwise. */
export function refOfTarget(target: ActionTarget): ResourceRef {
  const parsed = parseResourceKindName(target.kind);
  if (!parsed) throw new ContractError('invalid_request', `"${target.kind}" is not a resource name of the form plural.version.group (widgets.v1.example.com).`);
  return { ...parsed, namespace: target.namespace };
}

const check = (verb: string, target: ActionTarget): AccessCheck => {
  const ref = refOfTarget(target);
  return { verb, group: ref.group, resource: ref.plural, namespace: target.namespace, name: target.name };
};

const what = (target: ActionTarget) => `${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name}`;

function upstream(error: unknown, target: ActionTarget): ContractError {
  if (error instanceof ContractError) return error;
  if (error instanceof KubeError) {
    if (error.status === 404) return new ContractError('not_found', `${what(target)} does not exist (any more).`);
    if (error.status === 409) return new ContractError('conflict', `${what(target)}: ${error.detail}`);
    return new ContractError('upstream_error', `${what(target)}: ${error.detail}`);
  }
  return new ContractError('upstream_error', `${what(target)}: ${error instanceof Error ? error.message : String(error)}`);
}

async function readLive(kc: KubeConfig, target: ActionTarget): Promise<KubeObject> {
  try {
    return await kubeRequest<KubeObject>(kc, { method: 'GET', path: objectUrl(refOfTarget(target), target.name) });
  } catch (error) {
    throw upstream(error, target);
  }
}

/** The edited YAML as the object to apply; refuses what would write a redaction marker or another object. */
export function parseEditedYaml(text: string, target: ActionTarget): KubeObject {
  if (REDACTION_MARKER.test(text)) {
    throw new ContractError('invalid_request', 'The YAML still holds redacted values (<redacted: …>). Remove those fields from the edit (server-side apply leaves fields you do not send alone) or set real values.');
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ContractError('invalid_request', `The YAML does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ContractError('invalid_request', 'The YAML must be one object (apiVersion, kind, metadata, …).');
  const object = doc as KubeObject;
  const ref = refOfTarget(target);
  const apiVersion = ref.group ? `${ref.group}/${ref.version}` : ref.version;
  if (object.apiVersion !== apiVersion) throw new ContractError('invalid_request', `apiVersion must stay ${apiVersion} (the YAML says ${String(object.apiVersion)}).`);
  if (object.metadata?.name !== target.name) throw new ContractError('invalid_request', `metadata.name must stay ${target.name}: renaming creates another object.`);
  if ((object.metadata?.namespace ?? undefined) !== (target.namespace ?? undefined)) throw new ContractError('invalid_request', `metadata.namespace must stay ${target.namespace ?? '(none)'}.`);
  return object;
}

const applyPath = (target: ActionTarget, force: boolean, dryRun: boolean): string => {
  const query = new URLSearchParams({ fieldManager: FIELD_MANAGER });
  if (force) query.set('force', 'true');
  if (dryRun) query.set('dryRun', 'All');
  return `${objectUrl(refOfTarget(target), target.name)}?${query}`;
};

const editableYaml = (object: KubeObject) => toYaml(redactObject(editableOf(object)));

const applyParams = z.object({ yaml: z.string().min(1), force: z.boolean().default(false) }).strict();
type ApplyParams = z.infer<typeof applyParams>;

/** resourceVersion a plan was made against, to refuse executing it after someone else's write. */
const planned = new WeakMap<ActionDraft, string | undefined>();

async function executeGuarded(kc: KubeConfig, target: ActionTarget, draft: ActionDraft): Promise<void> {
  const [get, ...writes] = draft.requests;
  const live = await readLive(kc, target);
  const expected = planned.get(draft);
  if (get?.method === 'GET' && expected !== undefined && live.metadata?.resourceVersion !== expected) {
    throw new ContractError('conflict', `${what(target)} changed since the plan was made (resourceVersion ${expected} → ${live.metadata?.resourceVersion}). Nothing was changed. Prepare again to see a fresh diff.`);
  }
  for (const request of writes) {
    try {
      await kubeRequest(kc, request);
    } catch (error) {
      throw upstream(error, target);
    }
  }
}

export function createResourceActionHandlers(deps: ResourceActionDeps): ActionHandler<never>[] {
  const matchesKind = (kind: string) => parseResourceKindName(kind) !== undefined;

  const apply = defineActionHandler<ApplyParams>({
    action: 'resource.apply',
    kinds: [],
    matchesKind,
    params: applyParams,
    access: (target) => [check('patch', target)],
    async plan({ context, target, params }) {
      const kc = deps.configFor(context);
      const desired = parseEditedYaml(params.yaml, target);
      const live = await readLive(kc, target);
      const warnings: string[] = [];
      let after: KubeObject = live;
      try {
        after = await kubeRequest<KubeObject>(kc, { method: 'PATCH', path: applyPath(target, params.force, true), contentType: APPLY_PATCH, body: desired });
      } catch (error) {
        if (error instanceof KubeError && error.status === 409) {
          warnings.push(`Field manager conflict (dry run): ${error.detail} Applying as planned will fail; prepare again taking over the conflicting fields (force) to apply anyway.`);
          // The diff still shows what the edit would do once forced.
          after = await kubeRequest<KubeObject>(kc, { method: 'PATCH', path: applyPath(target, true, true), contentType: APPLY_PATCH, body: desired }).catch(() => live);
        } else if (error instanceof KubeError && (error.status === 422 || error.status === 400)) {
          throw new ContractError('invalid_request', `The server refuses this edit (dry run): ${error.detail}`);
        } else {
          throw upstream(error, target);
        }
      }
      const diff = createTwoFilesPatch(`${target.name} (live)`, `${target.name} (after apply, dry run)`, editableYaml(live), editableYaml(after), undefined, undefined, { context: 3 });
      const requests: PlannedRequest[] = [
        { method: 'GET', path: objectUrl(refOfTarget(target), target.name) },
        { method: 'PATCH', path: applyPath(target, params.force, false), contentType: APPLY_PATCH, body: desired },
      ];
      const draft: ActionDraft = {
        summary: `Server-side apply ${what(target)} as field manager "${FIELD_MANAGER}"${params.force ? ', taking over conflicting fields' : ''}`,
        diff,
        requests,
        access: [check('patch', target)],
        warnings,
      };
      planned.set(draft, live.metadata?.resourceVersion);
      return draft;
    },
    async execute({ context, target }, draft) {
      await executeGuarded(deps.configFor(context), target, draft);
      return { message: `${what(target)} applied` };
    },
  });

  const remove = defineActionHandler<Record<string, never>>({
    action: 'resource.delete',
    kinds: [],
    matchesKind,
    params: z.object({}).strict(),
    access: (target) => [check('delete', target)],
    async plan({ context, target }) {
      const live = await readLive(deps.configFor(context), target);
      const path = objectUrl(refOfTarget(target), target.name);
      const draft: ActionDraft = {
        summary: `Delete ${what(target)} (dependents are garbage-collected in the background)`,
        requests: [
          { method: 'GET', path },
          { method: 'DELETE', path, body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: { uid: live.metadata?.uid } } },
        ],
        access: [check('delete', target)],
      };
      planned.set(draft, live.metadata?.resourceVersion);
      return draft;
    },
    async execute({ context, target }, draft) {
      await executeGuarded(deps.configFor(context), target, draft);
      return { message: `${what(target)} deleted` };
    },
  });

  return [apply as ActionHandler<never>, remove as ActionHandler<never>];
}

export { resourceKindName };
