// Actions domain: the action road (prepare -> confirm -> execute, audited), what a domain plugs
// into it, which actions a target offers (actions.available), and the refusal sentences. The only door in.
export { createActionRoad, TOKEN_TTL_MS, type ActionRoad, type ActionRoadOptions, type ActionAvailability } from './action-road.js';
export { defineActionHandler, type AccessReviewer, type ActionDraft, type ActionHandler, type ActionInput, type ActionOutcome } from './action-handler.js';
export { cannotSentence, READ_ONLY_SESSION } from '../../../shared/model/action-refusals.js';
