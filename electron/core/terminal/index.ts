// Terminal domain (issue 14): pod exec and a local shell as duplex `terminal.session` streams.
// Each session is a source (exec-source.ts over the Kubernetes exec WebSocket, local-source.ts on
// node-pty) run by session.ts (flow control, coalescing, audit). Read-only sessions are refused by
// the contract server (the stream is interactive); this file adds the per-client session limit.
import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../shared/contract-kit.js';
import type { Domain, DomainDeps } from '../domain.js';
import type { CallContext, DuplexStream, MethodHandlers } from '../contract-server.js';
import type { z } from 'zod';
import type { TerminalEvent, TerminalInput, terminalParamsSchema } from '../../../shared/contract/terminal.js';
import { getJson, KubeError } from '../kube/index.js';
import { podContainers, type PodLike } from './containers.js';
import { openExecShell } from './exec-source.js';
import { loadPty, openLocalShell } from './local-source.js';
import { removeStaleKubeconfigs } from './temp-kubeconfig.js';
import { runSession, type SessionSpec } from './session.js';

/** Open terminals one client (a browser tab's socket, the Electron window) may hold. */
export const MAX_SESSIONS_PER_CLIENT = 16;

type TerminalParams = z.output<typeof terminalParamsSchema>;

/**
 * A local shell is this machine's user's shell: a browser on another machine (browser mode served
 * off loopback) may exec into pods, which Kubernetes RBAC governs, but gets no shell here.
 */
export const REMOTE_SHELL_REFUSED = 'The local shell is offered only on this machine (Electron, or a browser on loopback): this browser is on another machine. A pod shell works from here.';

export interface TerminalServiceOptions {
  maxSessionsPerClient?: number;
  /** Exec keepalive ping interval (tests shorten it). */
  keepaliveMs?: number;
}

export function createTerminalService(deps: Pick<DomainDeps, 'clusters' | 'audit' | 'dataDir'>, options: TerminalServiceOptions = {}) {
  const max = options.maxSessionsPerClient ?? MAX_SESSIONS_PER_CLIENT;
  const perClient = new Map<string, number>();
  const live = new Set<DuplexStream<TerminalInput>>();
  removeStaleKubeconfigs(deps.dataDir);

  const contextUser = (context: string) => deps.clusters.kubeconfig().config.getContextObject(context)?.user;
  const requireContext = (context: string) => {
    if (!deps.clusters.kubeconfig().config.getContextObject(context)) throw new ContractError('not_found', `There is no context "${context}" in the kubeconfig.`);
  };

  const readPod = async (context: string, namespace: string, pod: string): Promise<PodLike> => {
    try {
      return await getJson<PodLike>(deps.clusters.configFor(context), `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`);
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) throw new ContractError('not_found', `There is no pod ${namespace}/${pod} in ${context}.`);
      if (error instanceof KubeError && error.status === 403) throw new ContractError('forbidden', error.detail);
      throw new ContractError('upstream_unavailable', error instanceof Error ? error.message : String(error));
    }
  };

  /** Where a session runs and how its source starts. */
  function specFor(params: TerminalParams, context: string | undefined, ctx: CallContext): SessionSpec {
    const base = { sessionId: randomUUID(), session: ctx.session };
    if (params.kind === 'local') {
      return {
        ...base,
        audit: { context, user: context ? contextUser(context) : undefined, params: { kind: 'local' } },
        open: (events) => openLocalShell({ dataDir: deps.dataDir, config: deps.clusters.kubeconfig().config, context, cols: params.cols, rows: params.rows }, events),
      };
    }
    return {
      ...base,
      audit: {
        context: params.context,
        user: contextUser(params.context),
        target: { kind: 'Pod', namespace: params.namespace, name: params.pod },
        params: { kind: 'exec', container: params.container, command: params.command?.join(' ') ?? 'bash || sh' },
      },
      open: async (events) => {
        const container = params.container ?? podContainers(await readPod(params.context, params.namespace, params.pod)).defaultContainer;
        if (!container) throw new ContractError('not_found', `The pod ${params.namespace}/${params.pod} has no containers.`);
        const target = { context: params.context, namespace: params.namespace, pod: params.pod, container, command: params.command };
        return openExecShell(deps.clusters.configFor(params.context), target, { cols: params.cols, rows: params.rows, keepaliveMs: options.keepaliveMs }, events);
      },
    };
  }

  function session(params: TerminalParams, emit: (event: TerminalEvent) => void, ctx: CallContext): DuplexStream<TerminalInput> {
    if (params.kind === 'local' && ctx.session.remote) {
      deps.audit.append({ phase: 'refused', outcome: 'refused', session: ctx.session.kind, method: 'terminal.session', params: { kind: 'local', client: ctx.session.client }, error: 'a local shell for a client on another machine' });
      throw new ContractError('forbidden', REMOTE_SHELL_REFUSED);
    }
    const client = ctx.session.client ?? ctx.session.kind;
    const count = perClient.get(client) ?? 0;
    if (count >= max) throw new ContractError('rate_limited', `${max} terminals are already open in this window (the limit): close one first.`);
    const context = params.context ?? (deps.clusters.kubeconfig().config.getCurrentContext() || undefined);
    if (context) requireContext(context);
    perClient.set(client, count + 1);
    const holder: { stream?: DuplexStream<TerminalInput> } = {};
    const onEnd = () => {
      if (holder.stream) live.delete(holder.stream);
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    };
    const stream = runSession(specFor(params, context, ctx), emit, { audit: deps.audit, onEnd });
    holder.stream = stream;
    live.add(stream);
    return stream;
  }

  const handlers: Pick<MethodHandlers, 'terminal.capabilities' | 'terminal.containers'> = {
    'terminal.capabilities': async (_request, ctx) => {
      if (ctx.session.readOnly) {
        const reason = 'This is a read-only session (war-room screen): terminals need the console link.';
        return { local: false, localReason: reason, exec: false, execReason: reason };
      }
      if (ctx.session.remote) return { local: false, localReason: REMOTE_SHELL_REFUSED, exec: true };
      const { pty, reason } = await loadPty();
      return pty ? { local: true, exec: true } : { local: false, localReason: reason, exec: true };
    },
    'terminal.containers': async ({ context, namespace, pod }) => {
      requireContext(context);
      return podContainers(await readPod(context, namespace, pod));
    },
  };

  return {
    handlers,
    session,
    /** Open sessions (tests, shutdown). */
    get openSessions(): number {
      return live.size;
    },
    stop(): void {
      for (const stream of [...live]) stream.stop();
    },
  };
}

export const domain: Domain = {
  name: 'terminal',
  create(deps) {
    const service = createTerminalService(deps);
    return {
      handlers: service.handlers,
      streams: { 'terminal.session': service.session },
      stop: () => service.stop(),
    };
  },
};
