import { describe, expect, it, vi } from 'vitest';
import { ContractError } from '../../shared/contract-kit.js';
import { createContractServer, type MethodHandlers, type StreamHandlers } from '../../electron/core/contract-server.js';

const consoleSession = { kind: 'console', readOnly: false } as const;
const readonlySession = { kind: 'readonly', readOnly: true } as const;

function serverWith(overrides: Partial<MethodHandlers> = {}, onRefused = vi.fn()) {
  const handlers = {
    'app.info': async () => ({ name: 'Flightdeck', version: '1.0.0', mode: 'browser', readOnly: false, demo: false, startedAt: 'x', platform: 'p', node: 'v' }),
    'settings.set': async (patch: object) => ({ theme: 'dark', productionContextPattern: '', activeContext: null, gpuHourPriceUsd: 1, prometheusUrls: {}, ...patch }),
    ...overrides,
  } as unknown as MethodHandlers;
  return createContractServer({ handlers, streams: {} as StreamHandlers, onRefused });
}

describe('contract server', () => {
  it('answers a valid call with the validated response', async () => {
    const server = serverWith();
    await expect(server.call('app.info', {}, consoleSession)).resolves.toMatchObject({ name: 'Flightdeck' });
  });

  it('refuses an unknown method with a typed error', async () => {
    await expect(serverWith().call('nope.nothing', {}, consoleSession)).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('refuses a malformed payload and names the field', async () => {
    const error = await serverWith().call('settings.set', { theme: 'purple' }, consoleSession).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect((error as Error).message).toContain('theme');
  });

  it('refuses unknown fields instead of passing them to the domain', async () => {
    await expect(serverWith().call('app.info', { evil: true }, consoleSession)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses mutating methods to read-only sessions and reports the attempt', async () => {
    const onRefused = vi.fn();
    const set = vi.fn();
    const server = serverWith({ 'settings.set': set as never }, onRefused);
    await expect(server.call('settings.set', { theme: 'light' }, readonlySession)).rejects.toMatchObject({ code: 'read_only' });
    expect(set).not.toHaveBeenCalled();
    expect(onRefused).toHaveBeenCalledWith('settings.set', readonlySession, { theme: 'light' });
    await expect(server.call('app.info', {}, readonlySession)).resolves.toBeTruthy();
  });

  it('turns a handler crash into an internal error instead of crashing', async () => {
    const server = serverWith({ 'app.info': async () => { throw new TypeError('boom'); } });
    await expect(server.call('app.info', {}, consoleSession)).rejects.toMatchObject({ code: 'internal' });
  });

  it('refuses a response that breaks the contract', async () => {
    const server = serverWith({ 'app.info': (async () => ({ name: 'Other' })) as never });
    await expect(server.call('app.info', {}, consoleSession)).rejects.toMatchObject({ code: 'internal' });
  });

  it('passes ContractErrors from handlers through unchanged', async () => {
    const server = serverWith({ 'app.info': async () => { throw new ContractError('upstream_unavailable', 'Prometheus is down'); } });
    await expect(server.call('app.info', {}, consoleSession)).rejects.toMatchObject({ code: 'upstream_unavailable', message: 'Prometheus is down' });
  });
});
