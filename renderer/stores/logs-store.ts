// Logs view state: what is followed (pod logs through logs.follow, or Loki through lokiQuery /
// lokiTail), the sources seen and their states, the backend's notices, follow / pause, display
// toggles and the search. The lines themselves are not React state: they live in one LineStore
// (compact chunks) that the stream appends to; the view re-renders once per animation frame at most
// (`version`), whatever the line rate. Every appended batch is also sent once to the search worker.
import { create } from 'zustand';
import type { LogEvent, LogTarget, LogsFollowParams } from '../../shared/contract/logs';
import type { ContractErrorShape } from '../../shared/contract-kit';
import { getApi } from '../api/client';
import { LineStore, DEFAULT_CAP, type LineInput } from './logs-lines';
import { LineList, compileQuery, type SearchQuery } from '../workers/log-search';
import type { SearchAnswer, SearchRequest } from '../workers/log-search.worker';
import { ResumeFilter } from './logs-resume';

export interface LogSource {
  src: number;
  /** The prefix shown before each line: pod/container, or a Loki stream's labels. */
  label: string;
  pod?: string;
  container?: string;
  labels?: Record<string, string>;
  state?: string;
  message?: string;
  hue: number;
}

export interface LogNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
  at: number;
}

export type FollowSpec =
  | { kind: 'pods'; params: LogsFollowParams }
  | { kind: 'lokiQuery'; context: string; query: string; start: number; end: number; limit: number }
  | { kind: 'lokiTail'; context: string; query: string };

export interface LogsState {
  spec?: FollowSpec;
  status: 'idle' | 'loading' | 'following' | 'ended' | 'error';
  statusText?: string;
  sources: Record<number, LogSource>;
  notices: LogNotice[];
  /** Bumped when lines arrived (at most once per animation frame). */
  version: number;
  /** Follow: the viewer sticks to the newest line. Paused: it stays put and counts what came since. */
  paused: boolean;
  /** `lines.total` when the view was paused. */
  pausedAt: number;
  wrap: boolean;
  timestamps: boolean;
  search: SearchQuery & { filter: boolean };
  searchError?: string;
  /** Bumped when the matches changed. */
  matchesVersion: number;
  searching: boolean;
  /** Worker time and round trip of the last full search (the bench reads them). */
  searchMs?: { worker: number; roundTrip: number; searched: number };
  /** The match the next/previous buttons are on (index into `matches`). */
  current: number;
  /** Lines with their JSON pretty-printed (absolute numbers). */
  expanded: Set<number>;
  /** A line to bring into view (jump to time, next match), consumed by the viewer. */
  reveal?: { line: number; seq: number };
  start(spec: FollowSpec): void;
  stop(): void;
  clear(): void;
  setPaused(paused: boolean): void;
  setWrap(wrap: boolean): void;
  setTimestamps(on: boolean): void;
  setSearch(patch: Partial<LogsState['search']>): void;
  step(direction: 1 | -1): void;
  toggleExpanded(line: number): void;
  jumpToTime(t: number): boolean;
}

/** Every held line: module state, not React state (a million lines, appended 20,000 a second). */
export const lines = new LineStore(DEFAULT_CAP);
/** Lines matching the current search, ascending absolute numbers. */
export const matches = new LineList();

const MAX_NOTICES = 50;
let stopStream: (() => void) | undefined;
let generation = 0;

// ---- the search worker -------------------------------------------------------------------------
let worker: Worker | undefined;
let searchGen = 0;
let searchSentAt = 0;

function send(request: SearchRequest, transfer: Transferable[] = []): void {
  worker?.postMessage(request, transfer);
}

function ensureWorker(): void {
  if (worker || typeof Worker === 'undefined') return;
  worker = new Worker(new URL('../workers/log-search.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<SearchAnswer>) => onAnswer(event.data);
  worker.onerror = (event) => useLogsStore.setState({ searching: false, searchError: `The search worker failed: ${event.message}` });
}

function onAnswer(answer: SearchAnswer): void {
  if (answer.gen !== searchGen) return;
  const state = useLogsStore.getState();
  if (answer.type === 'error') {
    matches.length = 0;
    useLogsStore.setState({ searching: false, searchError: answer.message, matchesVersion: state.matchesVersion + 1 });
    return;
  }
  if (answer.type === 'result') {
    matches.length = 0;
    matches.pushAll(answer.lines);
    matches.dropBelow(lines.base);
    useLogsStore.setState({
      searching: false,
      searchError: undefined,
      current: 0,
      matchesVersion: state.matchesVersion + 1,
      searchMs: { worker: answer.ms, roundTrip: performance.now() - searchSentAt, searched: answer.searched },
    });
    return;
  }
  matches.pushAll(answer.lines);
  matches.dropBelow(lines.base);
  scheduleTick(true);
}

function runSearch(query: SearchQuery): void {
  ensureWorker();
  searchGen++;
  searchSentAt = performance.now();
  const compiled = compileQuery(query);
  // Said at once for a bad regex; the worker is still told so it stops searching appended lines.
  if ('error' in compiled) useLogsStore.setState({ searchError: compiled.error });
  useLogsStore.setState({ searching: !('empty' in compiled) && !('error' in compiled) });
  if ('empty' in compiled) {
    matches.length = 0;
    useLogsStore.setState({ searchError: undefined, matchesVersion: useLogsStore.getState().matchesVersion + 1 });
  }
  send({ type: 'search', gen: searchGen, query: 'empty' in compiled ? undefined : query });
}

// ---- appending lines, once per frame to React --------------------------------------------------
let tickScheduled = false;
let matchesDirty = false;
let lastTick = 0;
/**
 * The view is told about new lines at most every TICK_MS: a stream of thousands of lines a second
 * moves every row on screen, and repainting that each frame (60 times a second) starved the page
 * on a loaded machine; ten times a second reads as live and leaves the frames free.
 */
const TICK_MS = 100;

function scheduleTick(matchesChanged = false): void {
  matchesDirty ||= matchesChanged;
  if (tickScheduled) return;
  tickScheduled = true;
  const tick = () => {
    if (!tickScheduled) return;
    tickScheduled = false;
    lastTick = performance.now();
    const state = useLogsStore.getState();
    useLogsStore.setState({ version: state.version + 1, ...(matchesDirty ? { matchesVersion: state.matchesVersion + 1 } : {}) });
    matchesDirty = false;
  };
  const wait = Math.max(0, TICK_MS - (performance.now() - lastTick));
  // rAF paces the view with the screen; the second timeout keeps a hidden page's store current.
  setTimeout(() => requestAnimationFrame(tick), wait);
  setTimeout(tick, wait + 250);
}

function appendLines(batch: readonly LineInput[]): void {
  if (batch.length === 0) return;
  const before = lines.base;
  const { slab, lengths, base } = lines.append(batch);
  ensureWorker();
  send({ type: 'append', slab, lengths }, [lengths.buffer]);
  if (base !== before) {
    send({ type: 'drop', base });
    matches.dropBelow(base);
  }
  scheduleTick();
}

// ---- sources and notices -----------------------------------------------------------------------
/** Pod (or Loki stream) -> its colour's place, in order of appearance, for this follow. */
const hueOrder = new Map<string, number>();

/** Stern-like: one colour per pod, spaced by the golden angle so the first dozens never collide. */
function hueOf(key: string): number {
  let place = hueOrder.get(key);
  if (place === undefined) {
    place = hueOrder.size;
    hueOrder.set(key, place);
  }
  return Math.round((200 + place * 137.508) % 360);
}

function lokiLabel(labels: Record<string, string>): string {
  const pod = labels.pod ?? labels.pod_name;
  if (pod) return labels.container ? `${pod}/${labels.container}` : pod;
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '{}' : `{${keys.map((k) => `${k}="${labels[k]}"`).join(', ')}}`;
}

function notice(level: LogNotice['level'], message: string): void {
  const notices = useLogsStore.getState().notices;
  const last = notices[notices.length - 1];
  // A repeated notice (a retry saying the same thing) is one entry with a fresh time.
  const next = last && last.message === message && last.level === level ? [...notices.slice(0, -1), { level, message, at: Date.now() }] : [...notices, { level, message, at: Date.now() }];
  useLogsStore.setState({ notices: next.slice(-MAX_NOTICES) });
}

function onEvent(gen: number, event: LogEvent): void {
  if (gen !== generation) return;
  switch (event.type) {
    case 'lines':
      appendLines(resume.filter(event.lines, podSourceKey(useLogsStore.getState().sources)));
      return;
    case 'source': {
      const label = `${event.pod}/${event.container}`;
      if (event.state === 'attached') resume.attached(label);
      const sources = { ...useLogsStore.getState().sources, [event.src]: { src: event.src, label, pod: event.pod, container: event.container, state: event.state, message: event.message, hue: hueOf(event.pod) } };
      useLogsStore.setState({ sources });
      if (event.state === 'error' || event.state === 'waiting') notice(event.state === 'error' ? 'error' : 'warning', `${label}: ${event.message ?? event.state}`);
      else if (event.state === 'reattached') notice('info', `${label}: stream re-attached${event.message ? ` (${event.message})` : ''}`);
      return;
    }
    case 'lokiStream': {
      const label = lokiLabel(event.labels);
      useLogsStore.setState({ sources: { ...useLogsStore.getState().sources, [event.src]: { src: event.src, label, labels: event.labels, hue: hueOf(label) } } });
      return;
    }
    case 'dropped':
      notice('warning', event.message);
      return;
    case 'notice':
      notice(event.level, event.message);
      return;
    case 'end':
      useLogsStore.setState({ status: 'ended', statusText: event.reason });
      return;
  }
}

/** Lines already held that a re-subscription (browser mode's socket reconnected) sends again. */
const resume = new ResumeFilter();
/** A batch's sources are read once: pod sources by their pod/container label, Loki streams untracked. */
const podSourceKey =
  (sources: Record<number, LogSource>) =>
  (src: number): string | undefined => {
    const source = sources[src];
    return source?.pod !== undefined ? source.label : undefined;
  };

function onStreamError(gen: number, error: ContractErrorShape): void {
  if (gen !== generation) return;
  notice('error', error.message);
  useLogsStore.setState({ status: 'error', statusText: error.message });
}

function reset(): void {
  stopStream?.();
  stopStream = undefined;
  generation++;
  lines.clear();
  matches.length = 0;
  hueOrder.clear();
  resume.clear();
  send({ type: 'reset' });
}

// ---- the store ---------------------------------------------------------------------------------
export const useLogsStore = create<LogsState>((set, get) => ({
  status: 'idle',
  sources: {},
  notices: [],
  version: 0,
  paused: false,
  pausedAt: 0,
  wrap: false,
  timestamps: false,
  search: { text: '', regex: false, caseSensitive: false, filter: false },
  matchesVersion: 0,
  searching: false,
  current: 0,
  expanded: new Set(),

  start(spec) {
    reset();
    const gen = generation;
    set({ spec, status: 'loading', statusText: undefined, sources: {}, notices: [], paused: false, pausedAt: 0, expanded: new Set(), current: 0, version: get().version + 1, matchesVersion: get().matchesVersion + 1 });
    const api = getApi();
    if (spec.kind === 'pods') {
      set({ status: 'following' });
      stopStream = api.subscribe('logs.follow', spec.params, (e) => onEvent(gen, e), (e) => onStreamError(gen, e));
    } else if (spec.kind === 'lokiTail') {
      set({ status: 'following' });
      stopStream = api.subscribe('logs.lokiTail', { context: spec.context, query: spec.query }, (e) => onEvent(gen, e), (e) => onStreamError(gen, e));
    } else {
      void api
        .call('logs.lokiQuery', { context: spec.context, query: spec.query, start: spec.start, end: spec.end, limit: spec.limit, direction: 'backward' })
        .then((result) => {
          if (gen !== generation) return;
          const sources: Record<number, LogSource> = {};
          for (const s of result.streams) {
            const label = lokiLabel(s.labels);
            sources[s.src] = { src: s.src, label, labels: s.labels, hue: hueOf(label) };
          }
          set({ sources });
          // Backward gives newest first; the viewer reads top to bottom, oldest first.
          appendLines([...result.lines].reverse());
          for (const w of result.warnings) notice('warning', w);
          if (result.resultType !== 'streams') notice('info', `This is a metric query (${result.series.length} series): the viewer shows log lines; run a log query (no rate()/count_over_time()).`);
          set({ status: 'ended', statusText: `${result.lines.length.toLocaleString()} lines${result.limited ? ` (the limit of ${spec.limit.toLocaleString()}: older lines exist)` : ''}` });
        })
        .catch((error: unknown) => {
          if (gen !== generation) return;
          const message = error instanceof Error ? error.message : String(error);
          notice('error', message);
          set({ status: 'error', statusText: message });
        });
    }
    const search = get().search;
    if (search.text) runSearch(search);
  },

  stop() {
    stopStream?.();
    stopStream = undefined;
    generation++;
    if (get().status === 'following' || get().status === 'loading') set({ status: 'ended', statusText: 'Stopped' });
  },

  clear() {
    lines.clear();
    matches.length = 0;
    resume.clear();
    send({ type: 'reset' });
    set({ version: get().version + 1, matchesVersion: get().matchesVersion + 1, pausedAt: lines.total, expanded: new Set() });
  },

  setPaused(paused) {
    set({ paused, pausedAt: lines.total });
  },

  setWrap: (wrap) => set({ wrap }),
  setTimestamps: (timestamps) => set({ timestamps }),

  setSearch(patch) {
    const search = { ...get().search, ...patch };
    set({ search });
    const changed = patch.text !== undefined || patch.regex !== undefined || patch.caseSensitive !== undefined;
    if (changed) runSearch(search);
  },

  step(direction) {
    if (matches.length === 0) return;
    const current = (get().current + direction + matches.length) % matches.length;
    set({ current, paused: true, pausedAt: get().paused ? get().pausedAt : lines.total, reveal: { line: matches.at(current), seq: (get().reveal?.seq ?? 0) + 1 } });
  },

  toggleExpanded(line) {
    const expanded = new Set(get().expanded);
    if (expanded.has(line)) expanded.delete(line);
    else expanded.add(line);
    set({ expanded });
  },

  jumpToTime(t) {
    const line = lines.indexAtTime(t);
    if (line < 0) return false;
    set({ paused: true, pausedAt: get().paused ? get().pausedAt : lines.total, reveal: { line, seq: (get().reveal?.seq ?? 0) + 1 } });
    return true;
  },
}));

/** The target in words, for headings and the download's file name. */
export function targetText(namespace: string, target: LogTarget): string {
  if (target.kind === 'pod') return `${namespace}/${target.pod}`;
  if (target.kind === 'workload') return `${namespace}/${target.workloadKind.toLowerCase()}/${target.name}`;
  return `${namespace} -l ${target.selector}`;
}
