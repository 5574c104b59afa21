// The terminal view's logic without a browser: flow-control acks (batched, never after the
// session ended), which keys the terminal keeps from the console's shortcuts, tabs and split
// panes, and which pod a runbook step names (its "Shell in pod" button).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckBatcher } from '../../renderer/views/terminal/ack-batcher';
import { reachesConsole, terminalKeyAction } from '../../renderer/views/terminal/keys';
import { useTerminalStore } from '../../renderer/stores/terminal-store';
import { podTargetOfArgs, podTargetOfStep } from '../../shared/model/terminal-target';

const key = (k: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean; meta?: boolean } = {}) => ({
  key: k,
  ctrlKey: !!mods.ctrl,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
  metaKey: !!mods.meta,
});

describe('AckBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('acks at once past the threshold and a trickle after the idle delay', () => {
    const sent: number[] = [];
    const acks = new AckBatcher((n) => sent.push(n), 1000, 20);
    acks.written(600);
    expect(sent).toEqual([]);
    acks.written(500);
    expect(sent).toEqual([1100]);
    acks.written(3);
    acks.written(4);
    expect(sent).toEqual([1100]);
    vi.advanceTimersByTime(19);
    expect(sent).toEqual([1100]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1100, 7]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1100, 7]);
  });

  it('sends nothing after close (acks of an ended session would count against the next)', () => {
    const sent: number[] = [];
    const acks = new AckBatcher((n) => sent.push(n), 1000, 20);
    acks.written(10);
    acks.close();
    vi.advanceTimersByTime(100);
    acks.written(5000);
    acks.flush();
    expect(sent).toEqual([]);
  });

  it('keeps what it acks under the server high-water mark by default', async () => {
    const { TERMINAL_HIGH_WATER_CHARS } = await import('../../shared/contract/terminal');
    const sent: number[] = [];
    const acks = new AckBatcher((n) => sent.push(n));
    for (let i = 0; i < 100; i++) acks.written(4096);
    expect(Math.max(...sent)).toBeLessThan(TERMINAL_HIGH_WATER_CHARS / 4);
    acks.flush();
    expect(sent.reduce((a, b) => a + b, 0)).toBe(409600);
  });
});

describe('terminal keys', () => {
  it('keeps Ctrl+K, Ctrl+C, g, : and ? for the shell', () => {
    for (const e of [key('k', { ctrl: true }), key('c', { ctrl: true }), key('r', { ctrl: true }), key('g'), key(':'), key('?'), key('F', { ctrl: true })]) {
      expect(terminalKeyAction(e)).toBeUndefined();
      expect(reachesConsole(e)).toBe(false);
    }
  });

  it('copy, paste and search on Ctrl+Shift (⌘ on a Mac); Ctrl+Shift+K is the way out to the palette', () => {
    expect(terminalKeyAction(key('C', { ctrl: true, shift: true }))).toBe('copy');
    expect(terminalKeyAction(key('V', { ctrl: true, shift: true }))).toBe('paste');
    expect(terminalKeyAction(key('F', { ctrl: true, shift: true }))).toBe('search');
    expect(terminalKeyAction(key('c', { meta: true }))).toBe('copy');
    expect(terminalKeyAction(key('K', { ctrl: true, shift: true }))).toBe('palette');
    expect(reachesConsole(key('K', { ctrl: true, shift: true }))).toBe(true);
    expect(reachesConsole(key('k', { meta: true }))).toBe(true);
    expect(terminalKeyAction(key('C', { ctrl: true, shift: true, alt: true }))).toBeUndefined();
  });
});

describe('terminal tabs', () => {
  beforeEach(() => useTerminalStore.setState({ tabs: [], panes: {}, activeTab: undefined }));

  it('opens tabs, splits a tab into two panes at most, and closing the last pane closes the tab', () => {
    const s = () => useTerminalStore.getState();
    const first = s().openTab({ kind: 'local' });
    const pod = s().openTab({ kind: 'exec', context: 'c', namespace: 'inference', pod: 'llama-0' });
    expect(s().tabs).toHaveLength(2);
    expect(s().panes[pod].title).toBe('llama-0');
    const tab = s().tabs[1];
    expect(s().activeTab).toBe(tab.id);
    const beside = s().split(tab.id, { kind: 'local' });
    expect(beside).toBeDefined();
    expect(s().split(tab.id, { kind: 'local' })).toBeUndefined();
    expect(s().tabs[1].panes).toEqual([pod, beside]);
    expect(s().tabs[1].activePane).toBe(beside);
    s().closePane(beside!);
    expect(s().tabs[1].panes).toEqual([pod]);
    expect(s().tabs[1].activePane).toBe(pod);
    s().closePane(pod);
    expect(s().tabs.map((t) => t.panes)).toEqual([[first]]);
    expect(s().activeTab).toBe(s().tabs[0].id);
    expect(Object.keys(s().panes)).toEqual([first]);
  });

  it('a renamed tab keeps its name; an empty name goes back to the shell title', () => {
    const s = () => useTerminalStore.getState();
    s().openTab({ kind: 'local' });
    const id = s().tabs[0].id;
    s().renameTab(id, '  prod debug ');
    expect(s().tabs[0].name).toBe('prod debug');
    s().renameTab(id, ' ');
    expect(s().tabs[0].name).toBeUndefined();
  });
});

describe('pod named by a runbook step', () => {
  it('reads exec, logs and get/describe of one pod, with namespace and container', () => {
    expect(podTargetOfStep('kubectl', 'exec -n inference llama-0 -c server -- nvidia-smi')).toEqual({ namespace: 'inference', pod: 'llama-0', container: 'server' });
    expect(podTargetOfStep('sh', 'kubectl logs --namespace=inference pod/llama-1 --tail 50 | grep ERROR')).toEqual({ namespace: 'inference', pod: 'llama-1' });
    expect(podTargetOfStep('kubectl', 'describe pod trainer-7 -n ml')).toEqual({ namespace: 'ml', pod: 'trainer-7' });
    expect(podTargetOfStep('kubectl', 'get pods/trainer-7')).toEqual({ pod: 'trainer-7' });
    expect(podTargetOfArgs(['exec', '-it', 'web-1', '--', 'sh'])).toEqual({ pod: 'web-1' });
  });

  it('names no pod for selectors, other kinds, unfilled params or two different pods', () => {
    expect(podTargetOfStep('kubectl', 'get pods -n inference -l app=llama -o wide')).toBeUndefined();
    expect(podTargetOfStep('kubectl', 'logs deploy/llama -n inference')).toBeUndefined();
    expect(podTargetOfStep('kubectl', 'exec -n inference {{pod}} -- nvidia-smi')).toBeUndefined();
    expect(podTargetOfStep('sh', 'kubectl logs a-1 && kubectl logs b-2')).toBeUndefined();
    expect(podTargetOfStep('sh', 'echo exec a-1')).toBeUndefined();
    expect(podTargetOfStep('promql', 'up')).toBeUndefined();
  });
});
