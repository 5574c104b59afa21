// Problems only the renderer can know (issue 17): the link to the Flightdeck server is down, so
// everything on screen is stale; or the last problems answer is too old to be "now". Pure.
import type { Problem } from '../contract/problems.js';

/** The renderer's link to the server, as the API client reports it. */
export interface LinkStateLike {
  state: 'connecting' | 'open' | 'closed';
  since: number;
  reason?: string;
}

/** An answer older than this is not "now" any more: say so rather than show it as current. */
export const STALE_AFTER_MS = 20_000;

/** The server's problems plus the renderer's own: a lost link or an answer too old to be "now". */
export function withLocalProblems(problems: Problem[], link: LinkStateLike, at: number | undefined, error: string | undefined, now: number): Problem[] {
  const local: Problem[] = [];
  const here = { label: 'Open Topology', view: 'topology' };
  if (link.state === 'closed') {
    local.push({ id: 'link', severity: 'P2', source: 'staleness', what: `server link lost${link.reason ? `: ${link.reason}` : ''}; everything on screen is as of ${new Date(link.since).toLocaleTimeString()}`, where: 'Flightdeck server', since: new Date(link.since).toISOString(), link: here });
  } else if (error) {
    local.push({ id: 'problems-check', severity: 'P3', source: 'staleness', what: `could not check for problems: ${error}`, where: 'Flightdeck server', link: here });
  } else if (at !== undefined && now - at > STALE_AFTER_MS) {
    local.push({ id: 'problems-stale', severity: 'P3', source: 'staleness', what: `problems last checked at ${new Date(at).toLocaleTimeString()}`, where: 'Flightdeck server', since: new Date(at).toISOString(), link: here });
  }
  return [...local, ...problems];
}
