// Domains as modules (issue #12): every core domain exports a `domain` object of this one shape from
// its index.ts, and app.ts lists them. A domain is given the app's shared services and answers with
// the contract methods and streams it serves, the handlers it puts on the action road, and how it stops.
import type { MethodHandlers, StreamHandlers } from './contract-server.js';
import type { AccessReviewer, ActionHandler, ActionRoad } from './actions/index.js';
import type { AuditLog } from './audit/index.js';
import type { ServiceAuthStore, SettingsStore } from './settings/index.js';
import type { ClustersService } from './clusters/index.js';
import type { MetricsService } from './metrics/index.js';
import { methods, streams, type MethodName, type MethodParsedRequest, type MethodResponse } from '../../shared/contract.js';
import type { AppInfo } from '../../shared/contract/app.js';

/** The app's shared services, built once by app.ts before any domain; every domain gets the same object. */
export interface DomainDeps {
  dataDir: string;
  /** The demo fleet's Alertmanager (alerts and silences for demo contexts). */
  demoAlertmanagerUrl?: string;
  log(line: string): void;
  settings: SettingsStore;
  serviceAuth: ServiceAuthStore;
  audit: AuditLog;
  clusters: ClustersService;
  metrics: MetricsService;
  road: ActionRoad;
  reviewer: AccessReviewer;
  info(readOnly: boolean): AppInfo;
  /**
   * Another domain's method, called in-process as a read-only console session (no validation, no
   * redaction: the answer stays in the main process). Domains read each other this way, not by import.
   */
  call<M extends MethodName>(method: M, request: MethodParsedRequest<M>): Promise<MethodResponse<M>>;
}

/** What a created domain serves. Every part is optional: a domain may only add action handlers. */
export interface DomainParts {
  handlers?: Partial<MethodHandlers>;
  streams?: Partial<StreamHandlers>;
  actionHandlers?: ActionHandler<never>[];
  stop?(): void | Promise<void>;
}

export interface Domain {
  /** Named in errors (a method served twice names both domains). */
  name: string;
  create(deps: DomainDeps): DomainParts;
}

export interface ServedDomains {
  handlers: MethodHandlers;
  streams: StreamHandlers;
  actionHandlers: ActionHandler<never>[];
  /** Stops every domain, the last listed first. */
  stop(): Promise<void>;
}

/**
 * Merges the domains' tables into the one the contract server serves. Refuses, naming the
 * domains, a method or stream served twice, one the contract does not declare, and a contract
 * method or stream nobody serves — so the list in app.ts and shared/contract.ts cannot drift apart.
 */
export function serveDomains(created: readonly { name: string; parts: DomainParts }[]): ServedDomains {
  const handlers: Record<string, unknown> = {};
  const streamHandlers: Record<string, unknown> = {};
  const owner = new Map<string, string>();
  const problems: string[] = [];
  const take = (table: Record<string, unknown>, entries: object | undefined, kind: 'method' | 'stream', domain: string) => {
    for (const [name, handler] of Object.entries(entries ?? {})) {
      const key = `${kind} ${name}`;
      const first = owner.get(key);
      if (first !== undefined) problems.push(`${key} is served by both ${first} and ${domain}`);
      owner.set(key, domain);
      table[name] = handler;
    }
  };
  for (const { name, parts } of created) {
    take(handlers, parts.handlers, 'method', name);
    take(streamHandlers, parts.streams, 'stream', name);
  }
  problems.push(...contractGaps(Object.keys(handlers), Object.keys(methods), 'method', owner));
  problems.push(...contractGaps(Object.keys(streamHandlers), Object.keys(streams), 'stream', owner));
  if (problems.length > 0) throw new Error(`The domains do not match the contract: ${problems.join('; ')}.`);
  return {
    handlers: handlers as MethodHandlers,
    streams: streamHandlers as StreamHandlers,
    actionHandlers: created.flatMap(({ parts }) => parts.actionHandlers ?? []),
    async stop() {
      for (const { parts } of [...created].reverse()) await parts.stop?.();
    },
  };
}

function contractGaps(served: string[], declared: string[], kind: 'method' | 'stream', owner: Map<string, string>): string[] {
  const servedSet = new Set(served);
  const declaredSet = new Set(declared);
  return [
    ...declared.filter((name) => !servedSet.has(name)).map((name) => `contract ${kind} ${name} has no handler in any domain`),
    ...served.filter((name) => !declaredSet.has(name)).map((name) => `${owner.get(`${kind} ${name}`)} serves ${kind} ${name}, which shared/contract.ts does not declare`),
  ];
}
