// Actions domain: the action road (prepare -> confirm -> execute, audited), what a domain plugs
// into it, which actions a target offers (actions.available), and the refusal sentences. The only door in.
import type { Domain } from '../domain.js';
export { createActionRoad, TOKEN_TTL_MS, type ActionRoad, type ActionRoadOptions, type ActionAvailability } from './action-road.js';
export { defineActionHandler, type AccessReviewer, type ActionDraft, type ActionHandler, type ActionInput, type ActionOutcome } from './action-handler.js';
export { cannotSentence, READ_ONLY_SESSION } from '../../../shared/model/action-refusals.js';

/** The road's own methods; the handlers on it come from the other domains' `actionHandlers`. */
export const domain: Domain = {
  name: 'actions',
  create: ({ road }) => ({
    handlers: {
      'actions.prepare': (request, ctx) => road.prepare(request, ctx.session),
      'actions.execute': (request, ctx) => road.execute(request.token, request.confirmText, ctx.session),
      'actions.available': (request, ctx) => road.available(request, ctx.session),
    },
  }),
};
