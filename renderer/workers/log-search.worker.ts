// The Logs view's search, off the UI thread. It mirrors the view's line text (TextChunks: the same
// slabs in the same order, so absolute line numbers agree), receives each appended batch once as one
// string, answers a search with every matching line, and then searches each later batch for the
// current query so a followed stream stays searched.
import { TextChunks } from '../stores/logs-lines';
import { compileQuery, LineList, searchAll, searchSegment, type SearchQuery } from './log-search';

export type SearchRequest =
  | { type: 'append'; slab: string; lengths: Uint32Array }
  | { type: 'drop'; base: number }
  | { type: 'reset' }
  | { type: 'search'; gen: number; query: SearchQuery | undefined };

export type SearchAnswer =
  /** Every matching held line for query `gen` (ascending absolute numbers). */
  | { type: 'result'; gen: number; lines: Float64Array; ms: number; searched: number }
  /** Matches among lines appended after the result. */
  | { type: 'more'; gen: number; lines: Float64Array }
  | { type: 'error'; gen: number; message: string };

const text = new TextChunks();
let current: { gen: number; re: RegExp } | undefined;

const post = (answer: SearchAnswer) => {
  const transfer = 'lines' in answer ? [answer.lines.buffer] : [];
  (self as unknown as Worker).postMessage(answer, transfer);
};

self.onmessage = (event: MessageEvent<SearchRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'append': {
      const first = text.appendSlab(request.slab, request.lengths);
      if (!current) return;
      const out = new LineList();
      for (const segment of text.segments(first)) searchSegment(segment, current.re, out);
      if (out.length > 0) post({ type: 'more', gen: current.gen, lines: out.toArray() });
      return;
    }
    case 'drop':
      text.dropTo(request.base);
      return;
    case 'reset':
      text.clear();
      return;
    case 'search': {
      const compiled = request.query ? compileQuery(request.query) : { empty: true as const };
      if ('error' in compiled) {
        current = undefined;
        return post({ type: 'error', gen: request.gen, message: compiled.error });
      }
      if ('empty' in compiled) {
        current = undefined;
        return post({ type: 'result', gen: request.gen, lines: new Float64Array(0), ms: 0, searched: 0 });
      }
      const started = performance.now();
      const out = searchAll(text.segments(), compiled.re);
      current = { gen: request.gen, re: compiled.re };
      post({ type: 'result', gen: request.gen, lines: out.toArray(), ms: performance.now() - started, searched: text.held });
      return;
    }
  }
};
