// Creating and expiring a silence go through the action road like any change: a plan with the
// exact Alertmanager request, the confirm dialog, then the audit log. Alertmanager has no
// Kubernetes RBAC: the handlers say so (outsideKubernetes), and Alertmanager's own auth applies.
import { z } from 'zod';
import { ContractError } from '../../../shared/contract-kit.js';
import { createSilenceParamsSchema, type CreateSilenceParams } from '../../../shared/contract/alerts.js';
import { defineActionHandler, type ActionHandler } from '../actions/index.js';
import { alertmanagerRequest } from './alertmanager-http.js';
import type { AlertmanagerSources } from './alertmanager-sources.js';

export const SILENCE_KIND = 'Silence';

/** What the confirm dialog says instead of an RBAC verdict. */
export const ALERTMANAGER_AUTHORITY = "No Kubernetes permission applies: silences live in Alertmanager, whose own authentication (Settings) decides.";

async function endpointFor(sources: AlertmanagerSources, context: string) {
  const found = await sources.find(context);
  if (!found.endpoint) throw new ContractError('upstream_unavailable', `${found.problem} Silences live in Alertmanager; Prometheus alone cannot silence.`);
  return found;
}

const matcherText = (m: CreateSilenceParams['matchers'][number]) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`;

/** `changed(context)` runs after a silence is created or expired (cached alert answers are dropped). */
export function silenceActionHandlers(sources: AlertmanagerSources, changed: (context: string) => void = () => undefined, now: () => number = Date.now): ActionHandler<never>[] {
  const create = defineActionHandler<CreateSilenceParams>({
    action: 'silence.create',
    kinds: [SILENCE_KIND],
    params: createSilenceParamsSchema,
    access: () => [],
    outsideKubernetes: ALERTMANAGER_AUTHORITY,
    async plan({ context, params }) {
      const found = await endpointFor(sources, context);
      const startsAt = new Date(now()).toISOString();
      const endsAt = new Date(now() + params.durationMinutes * 60_000).toISOString();
      const body = { matchers: params.matchers, startsAt, endsAt, createdBy: params.createdBy, comment: params.comment };
      const hours = params.durationMinutes >= 120 ? `${Math.round(params.durationMinutes / 6) / 10} h` : `${params.durationMinutes} min`;
      return {
        summary: `Silence alerts matching {${params.matchers.map(matcherText).join(', ')}} for ${hours} in ${found.detail} (${found.url}).`,
        requests: [{ method: 'POST', path: '/api/v2/silences', contentType: 'application/json', body }],
        access: [],
        warnings: params.matchers.every((m) => m.isRegex && /^\.[*+]$/.test(m.value)) ? ['These matchers match every alert.'] : [],
      };
    },
    async execute({ context }, draft) {
      const found = await endpointFor(sources, context);
      const answer = await alertmanagerRequest(found.endpoint, 'POST', 'api/v2/silences', draft.requests[0].body);
      changed(context);
      const id = z.object({ silenceID: z.string() }).safeParse(answer.body);
      return { message: id.success ? `Silence ${id.data.silenceID} created.` : 'Silence created.' };
    },
  });

  const expire = defineActionHandler<Record<string, never>>({
    action: 'silence.expire',
    kinds: [SILENCE_KIND],
    params: z.object({}).strict(),
    access: () => [],
    outsideKubernetes: ALERTMANAGER_AUTHORITY,
    async plan({ context, target }) {
      const found = await endpointFor(sources, context);
      const path = `/api/v2/silence/${encodeURIComponent(target.name)}`;
      const current = await alertmanagerRequest(found.endpoint, 'GET', path);
      const state = (current.body as { status?: { state?: string } } | undefined)?.status?.state;
      if (state === 'expired') throw new ContractError('conflict', `Silence ${target.name} has already expired.`);
      return {
        summary: `Expire silence ${target.name} now in ${found.detail}: the alerts it hides notify again.`,
        requests: [{ method: 'DELETE', path }],
        access: [],
      };
    },
    async execute({ context, target }) {
      const found = await endpointFor(sources, context);
      await alertmanagerRequest(found.endpoint, 'DELETE', `api/v2/silence/${encodeURIComponent(target.name)}`);
      changed(context);
      return { message: `Silence ${target.name} expired.` };
    },
  });
  return [create as ActionHandler<never>, expire as ActionHandler<never>];
}
