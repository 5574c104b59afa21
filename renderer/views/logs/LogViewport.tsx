// The virtualized line list. Scrolling is by line, not by pixel: the scrollbar's position picks the
// top line (a spacer gives it the height of every line at one row each, scaled down past the
// browser's largest element), and a sticky window renders only the lines that fit, laid out as they
// come (wrapped or expanded lines take more room). Following, the window is anchored at the bottom
// and shows the newest lines; paused, it is anchored at an absolute line number, so lines arriving
// or the ring buffer dropping old ones do not move what you read. (@tanstack/react-virtual keeps a
// measurement object per row and rebuilds them when the count changes: a million rows growing
// 20,000 a second would rebuild a million objects per frame.)
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type WheelEvent } from 'react';
import { lines, matches, useLogsStore, type LogSource } from '../../stores/logs-store';
import { compileQuery, matchRanges } from '../../workers/log-search';
import { LEVEL_CLASS, looksLikeJson, prettyJson, sourceColor, splitMatches, timeText } from './log-format';

export const ROW_PX = 18;
/** Chromium refuses elements taller than ~33.5M px; stay well below. */
const MAX_SPACER_PX = 15_000_000;
/** Characters of a line drawn unexpanded (a 1 MB line would otherwise be a 1 MB text node). */
const SHOWN_CHARS = 4_000;

/** One line; memoized, so a frame that appends lines renders only the new ones. */
const Line = memo(function Line({ abs, source, multi, timestamps, wrap, expanded, current, re, onToggle }: { abs: number; source?: LogSource; multi: boolean; timestamps: boolean; wrap: boolean; expanded: boolean; current: boolean; re?: RegExp; onToggle: (abs: number) => void }) {
  const text = lines.line(abs) ?? '';
  const level = lines.level(abs);
  const json = looksLikeJson(text);
  const shown = expanded || text.length <= SHOWN_CHARS ? text : text.slice(0, SHOWN_CHARS);
  const parts: ReactNode = re ? splitMatches(shown, matchRanges(shown, re)).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : p.text)) : shown;
  const pretty = expanded && json ? prettyJson(text) : undefined;
  return (
    <div className={`log-line ${LEVEL_CLASS[level]}${wrap || expanded ? ' wrap' : ''}${current ? ' current' : ''}`} data-line={abs} data-testid="log-line" onClick={() => !window.getSelection()?.toString() && onToggle(abs)}>
      {timestamps && <span className="log-time">{timeText(lines.time(abs))}</span>}
      {multi && source && (
        <span className="log-src" style={{ color: sourceColor(source.hue) }} title={source.labels ? JSON.stringify(source.labels) : source.label}>
          {source.label}
        </span>
      )}
      {pretty ? (
        <pre className="log-json">{pretty}</pre>
      ) : (
        <span className="log-text">
          {parts}
          {shown.length < text.length && <span className="muted"> … {(text.length - shown.length).toLocaleString()} more characters (click to show)</span>}
        </span>
      )}
      {json && !expanded && (
        <span className="log-json-hint" aria-hidden="true">
          {'{…}'}
        </span>
      )}
    </div>
  );
});

export function LogViewport() {
  const version = useLogsStore((s) => s.version);
  const matchesVersion = useLogsStore((s) => s.matchesVersion);
  const { paused, wrap, timestamps, search, expanded, sources, reveal, current, searchError } = useLogsStore();
  const { setPaused, toggleExpanded } = useLogsStore();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(600);
  /** Paused: the absolute line at the top of the window. */
  const anchor = useRef(0);
  const dragging = useRef(false);
  const [, rerender] = useState(0);

  const filter = search.filter && search.text !== '' && !searchError;
  const count = filter ? matches.length : lines.held;
  const absOfRow = useCallback((i: number) => (filter ? matches.at(i) : lines.base + i), [filter]);
  const rowOfAbs = useCallback((abs: number) => (filter ? matches.lowerBound(abs) : abs - lines.base), [filter]);
  const visible = Math.ceil(height / ROW_PX) + 1;
  const spacer = Math.min(count * ROW_PX, MAX_SPACER_PX);
  /** The last top row that still shows the last line whole. */
  const maxTop = Math.max(0, count - Math.floor(height / ROW_PX));
  /** Scroll offset <-> top row, linear over the spacer (exactly a row per ROW_PX below the cap). */
  const topOfScroll = (scrollTop: number) => (spacer <= height ? 0 : Math.min(maxTop, Math.round((scrollTop / (spacer - height)) * maxTop)));
  const scrollOfTop = (top: number) => (maxTop === 0 ? 0 : (top / maxTop) * Math.max(0, spacer - height));

  const re = useMemo(() => {
    const c = compileQuery(search);
    return 're' in c ? c.re : undefined;
  }, [search]);
  const multi = Object.keys(sources).length > 1;

  // Follow: stick to the bottom. Paused: keep the anchored line where it was.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const target = paused ? scrollOfTop(Math.max(0, Math.min(maxTop, rowOfAbs(anchor.current)))) : el.scrollHeight;
    if (Math.abs(el.scrollTop - target) > 1) el.scrollTop = target;
  });

  // Next/previous match and jump to time: anchor the line a few rows below the top.
  useLayoutEffect(() => {
    if (!reveal) return;
    anchor.current = absOfRow(Math.max(0, rowOfAbs(reveal.line) - 3));
    rerender((n) => n + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal?.seq]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const atBottom = (el: HTMLDivElement) => el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX;
  const pauseHere = () => {
    const el = scrollRef.current;
    if (!el) return;
    anchor.current = absOfRow(topOfScroll(el.scrollTop));
    setPaused(true);
  };
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    if (!paused) {
      // Only the person scrolls while following (dragging the scrollbar): that pauses.
      if (dragging.current && !atBottom(el)) pauseHere();
      return;
    }
    anchor.current = absOfRow(topOfScroll(el.scrollTop));
    rerender((n) => n + 1);
  };
  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    const el = scrollRef.current;
    if (!el) return;
    if (!paused && e.deltaY < 0) pauseHere();
    else if (paused && e.deltaY > 0 && atBottom(el)) setPaused(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!paused && ['ArrowUp', 'PageUp', 'Home'].includes(e.key)) pauseHere();
    if (paused && e.key === 'End') setPaused(false);
  };

  const top = paused ? Math.max(0, Math.min(maxTop, rowOfAbs(anchor.current))) : Math.max(0, count - visible);
  // Following, the anchor tracks the top line, so Pause (button or key) keeps what is on screen.
  if (!paused && count > 0) anchor.current = absOfRow(top);
  const rows: number[] = [];
  for (let i = top; i < Math.min(count, top + visible); i++) rows.push(absOfRow(i));
  const currentLine = matches.length > 0 && current < matches.length ? matches.at(current) : -1;

  return (
    <div
      className="log-scroll"
      ref={scrollRef}
      tabIndex={0}
      role="log"
      aria-label="Log lines"
      data-testid="log-scroll"
      data-version={version}
      data-matches-version={matchesVersion}
      data-top-line={rows[0] ?? -1}
      onScroll={onScroll}
      onWheel={onWheel}
      onKeyDown={onKeyDown}
      onPointerDown={() => (dragging.current = true)}
      onPointerUp={() => (dragging.current = false)}
      onPointerLeave={() => (dragging.current = false)}
    >
      <div className={`log-window${paused || count < visible ? '' : ' follow'}`} style={{ height }}>
        {rows.map((abs) => (
          <Line key={abs} abs={abs} source={sources[lines.source(abs)]} multi={multi} timestamps={timestamps} wrap={wrap} expanded={expanded.has(abs)} current={abs === currentLine} re={re} onToggle={toggleExpanded} />
        ))}
      </div>
      <div style={{ height: Math.max(0, spacer - height) }} aria-hidden="true" />
    </div>
  );
}
