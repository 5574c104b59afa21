// The sentences that tell a person why an action is refused: written once, used by the plan's
// RBAC verdict and actions.available in the main process, and by the renderer's buttons.
import type { AccessCheck } from '../contract/actions.js';

/** "viewer cannot patch deployments/scale in namespace "ml" (no RBAC policy matched)". */
export function cannotSentence(user: string | undefined, check: AccessCheck, why?: string): string {
  const resource = `${check.resource}${check.subresource ? '/' + check.subresource : ''}`;
  const where = check.namespace ? ` in namespace "${check.namespace}"` : '';
  return `${user ?? 'this user'} cannot ${check.verb} ${resource}${where}${why ? ` (${why})` : ''}`;
}

export const READ_ONLY_SESSION = 'This is a read-only (war-room) session: actions are turned off.';

export const NO_DECLARED_ACCESS = 'the action declared no permission to check, so it is refused';

export const couldNotCheck = (error: unknown): string => `Could not check permissions: ${error instanceof Error ? error.message : String(error)}`;
