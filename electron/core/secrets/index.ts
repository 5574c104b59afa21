// Secrets domain: redaction of everything that leaves the main process, and the audited reveal. The only door in.
import type { Domain } from '../domain.js';
import { createRedactedLister, createRevealHandler } from './reveal.js';
export * from './redactor.js';
export * from './reveal.js';

/** secrets.redacted and the audited secrets.reveal. */
export const domain: Domain = {
  name: 'secrets',
  create({ clusters, audit, reviewer }) {
    const deps = { configFor: (context: string) => clusters.configFor(context), audit, userOf: (context: string) => reviewer.userOf(context) };
    const reveal = createRevealHandler(deps);
    return {
      handlers: {
        'secrets.redacted': createRedactedLister(deps),
        'secrets.reveal': (request, ctx) => reveal(request, ctx.session),
      },
    };
  },
};
