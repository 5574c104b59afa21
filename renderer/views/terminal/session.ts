// One terminal pane's live half: an xterm (with its addons) and the `terminal.session` duplex
// stream behind it. It outlives the view's components (switching views keeps the shell), so its
// xterm is opened once in its own host element, which the pane moves in and out of the page.
// Output is written into xterm and acked after xterm's write callback (flow control); keystrokes,
// pastes and size changes go back as inputs.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import type { TerminalEvent, TerminalInput, TerminalParams } from '../../../shared/contract/terminal';
import { TERMINAL_MAX_INPUT_CHARS } from '../../../shared/contract/terminal';
import type { ContractErrorShape } from '../../../shared/contract-kit';
import { getApi } from '../../api/client';
import type { PaneState, TerminalTarget } from '../../stores/terminal-store';
import { AckBatcher } from './ack-batcher';
import { copyText, pasteText, terminalKeyAction } from './keys';

export const SCROLLBACK_LINES = 10_000;

type Update = (patch: Partial<Omit<PaneState, 'id' | 'target'>>) => void;

const THEME = {
  background: '#0b0f14',
  foreground: '#d7e0ea',
  cursor: '#79c0ff',
  selectionBackground: '#264f78',
  black: '#1e2430',
  brightBlack: '#6e7681',
};

let software: boolean | undefined;

/**
 * Whether WebGL here is a CPU rasterizer (SwiftShader in headless or GPU-less Chromium, llvmpipe in
 * VMs): drawing the terminal through it cost about four times the CPU of xterm's DOM renderer in
 * our measurement (0.7 vs 2.9 MB/s of output on a loaded 2-core machine), so xterm keeps the DOM one.
 */
function softwareWebgl(): boolean {
  if (software !== undefined) return software;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    const name = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    software = !gl || /swiftshader|llvmpipe|softpipe|software/i.test(name);
  } catch {
    software = true;
  }
  return software;
}

/** Search highlight colours (the search addon wants #RRGGBB). */
export const SEARCH_DECORATIONS = { matchBackground: '#5a4a00', matchOverviewRuler: '#d29922', activeMatchBackground: '#b08800', activeMatchColorOverviewRuler: '#f2cc60' };

export class TerminalSession {
  readonly term: Terminal;
  readonly search = new SearchAddon();
  /** 'webgl' when the WebGL renderer runs, 'dom' when it failed (no GPU, lost context). */
  renderer: 'webgl' | 'dom' | 'none' = 'none';
  /** Characters of output xterm has written (its write callbacks), over every session of this pane. */
  written = 0;
  /** Opens the search bar (Ctrl+Shift+F); set by the pane while it shows this session. */
  onSearchKey: () => void = () => undefined;
  private readonly fit = new FitAddon();
  private readonly host = document.createElement('div');
  private readonly writeListeners = new Set<(data: string) => void>();
  private stream: { send(input: TerminalInput): void; close(): void } | undefined;
  private acks: AckBatcher | undefined;
  private opened = false;
  private started = false;
  private generation = 0;
  private observer: ResizeObserver | undefined;
  private fitFrame = 0;
  private disposed = false;
  private openedSize = { cols: 0, rows: 0 };

  constructor(
    readonly paneId: string,
    private readonly target: TerminalTarget,
    private readonly update: Update,
  ) {
    this.host.className = 'term-host';
    this.term = new Terminal({
      scrollback: SCROLLBACK_LINES,
      allowProposedApi: true, // the unicode API (Unicode 11 widths) is still "proposed" in xterm 6
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      theme: THEME,
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(new WebLinksAddon());
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.attachCustomKeyEventHandler((e) => this.onKey(e));
    this.term.onData((data) => this.sendData(data));
    this.term.onBinary((data) => this.sendData(data));
    this.term.onResize(({ cols, rows }) => this.stream?.send({ type: 'resize', cols, rows }));
    this.term.onTitleChange((title) => title.trim() && this.update({ title: title.trim().slice(0, 80) }));
    // Selecting copies, as in most Linux terminals (best effort: the page may not write the clipboard).
    this.term.onSelectionChange(() => {
      if (this.term.hasSelection()) void copyText(this.term.getSelection()).catch(() => undefined);
    });
  }

  /** Shows the terminal in `container`; the first time also opens xterm and starts the session. */
  attach(container: HTMLElement): void {
    if (this.disposed) return;
    container.appendChild(this.host);
    if (!this.opened) {
      this.opened = true;
      this.term.open(this.host);
      this.loadWebgl();
    }
    this.observer?.disconnect();
    this.observer = new ResizeObserver(() => this.scheduleFit());
    this.observer.observe(container);
    this.fitNow();
    if (!this.started) this.start();
  }

  detach(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.host.remove();
  }

  focus(): void {
    this.term.focus();
  }

  /** Opens a new session (the first, or after an exit or a drop: a pod shell cannot be resumed). */
  start(note?: string): void {
    if (this.disposed) return;
    this.closeStream();
    this.started = true;
    if (note) this.term.write(`\r\n\x1b[2m── ${note} ──\x1b[0m\r\n`);
    const generation = ++this.generation;
    const { cols, rows } = this.term;
    this.openedSize = { cols, rows };
    const params: TerminalParams =
      this.target.kind === 'local'
        ? { kind: 'local', ...(this.target.context ? { context: this.target.context } : {}), cols, rows }
        : {
            kind: 'exec',
            context: this.target.context,
            namespace: this.target.namespace,
            pod: this.target.pod,
            ...(this.target.container ? { container: this.target.container } : {}),
            ...(this.target.command ? { command: this.target.command } : {}),
            cols,
            rows,
          };
    this.update({ status: 'connecting', message: undefined, exitCode: undefined, sessions: generation });
    const acks = new AckBatcher((chars) => this.stream?.send({ type: 'ack', chars }));
    this.acks = acks;
    this.stream = getApi().open(
      'terminal.session',
      params,
      (event) => generation === this.generation && this.onEvent(event, acks),
      (error) => generation === this.generation && this.onError(error),
    );
  }

  /** Calls `listener` with each output chunk once xterm has written it (tests and benches). */
  onWritten(listener: (data: string) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /** The terminal's lines (scrollback and screen), trailing blanks trimmed. */
  text(lastLines = SCROLLBACK_LINES): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = Math.max(0, buffer.length - lastLines); i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n').replace(/\s+$/, '');
  }

  /** The cells of the last line containing `pattern` (a wide character's second cell is ''), for width checks. */
  cells(pattern: string): string[] | undefined {
    const buffer = this.term.buffer.active;
    for (let i = buffer.length - 1; i >= 0; i--) {
      const line = buffer.getLine(i);
      if (!line?.translateToString(true).includes(pattern)) continue;
      const text = line.translateToString(true);
      const cells: string[] = [];
      for (let x = 0; x < Math.min(line.length, text.length + 8); x++) cells.push(line.getCell(x)?.getChars() ?? '');
      while (cells.length && cells[cells.length - 1] === '') cells.pop();
      return cells;
    }
    return undefined;
  }

  fitNow(): void {
    const { clientWidth, clientHeight } = this.host.parentElement ?? this.host;
    // Hidden (another tab, another view): keep the last size rather than shrink the remote TTY to nothing.
    if (!this.opened || clientWidth < 20 || clientHeight < 20) return;
    try {
      this.fit.fit();
    } catch {
      // The renderer has not measured its font yet; the next resize fits.
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    cancelAnimationFrame(this.fitFrame);
    this.closeStream();
    this.detach();
    this.writeListeners.clear();
    this.term.dispose();
  }

  private onEvent(event: TerminalEvent, acks: AckBatcher): void {
    switch (event.type) {
      case 'opened':
        this.update({ status: 'open', title: event.title, detail: event.detail });
        // A resize sent before the server had the stream was dropped: say the size now.
        if (this.term.cols !== this.openedSize.cols || this.term.rows !== this.openedSize.rows) this.stream?.send({ type: 'resize', cols: this.term.cols, rows: this.term.rows });
        break;
      case 'output': {
        const { data } = event;
        this.term.write(data, () => {
          this.written += data.length;
          acks.written(data.length);
          for (const listener of this.writeListeners) listener(data);
        });
        break;
      }
      case 'exit':
        this.update({ status: 'exited', exitCode: event.code, message: event.reason });
        this.closeStream();
        break;
      case 'dropped':
        this.update({ status: 'dropped', message: event.message });
        this.closeStream();
        break;
    }
  }

  private onError(error: ContractErrorShape): void {
    // The link to the Flightdeck server was lost: the session ended with it, as a dropped pod socket does.
    if (error.code === 'upstream_unavailable') this.update({ status: 'dropped', message: error.message });
    else this.update({ status: 'error', message: error.message });
    this.closeStream();
  }

  private closeStream(): void {
    this.acks?.close();
    this.acks = undefined;
    const stream = this.stream;
    this.stream = undefined;
    stream?.close();
  }

  /** Keystrokes and pastes; a paste over the contract's input limit goes as several inputs. */
  private sendData(data: string): void {
    if (!this.stream) return;
    for (let i = 0; i < data.length; i += TERMINAL_MAX_INPUT_CHARS) this.stream.send({ type: 'data', data: data.slice(i, i + TERMINAL_MAX_INPUT_CHARS) });
  }

  /** xterm asks before handling a key: false keeps it from the shell. */
  private onKey(e: KeyboardEvent): boolean {
    const action = terminalKeyAction(e);
    if (!action) return true;
    // The palette key goes on to the console's global handler (the view lets it bubble).
    if (e.type !== 'keydown' || action === 'palette') return false;
    e.preventDefault();
    if (action === 'copy' && this.term.hasSelection()) void copyText(this.term.getSelection());
    else if (action === 'paste') void pasteText().then((text) => text && this.term.paste(text));
    else if (action === 'search') this.onSearchKey();
    return false;
  }

  /** The WebGL renderer, loaded on demand (its own chunk); xterm's DOM renderer draws meanwhile and when WebGL fails. */
  private loadWebgl(): void {
    this.renderer = 'dom';
    if (softwareWebgl()) return;
    void import('@xterm/addon-webgl')
      .then(({ WebglAddon }) => {
        if (this.disposed) return;
        const webgl = new WebglAddon();
        webgl.onContextLoss(() => {
          webgl.dispose();
          this.renderer = 'dom';
        });
        // Throws without WebGL2 (headless without a GPU, blocklisted drivers).
        this.term.loadAddon(webgl);
        this.renderer = 'webgl';
      })
      .catch(() => {
        this.renderer = 'dom';
      });
  }

  private scheduleFit(): void {
    cancelAnimationFrame(this.fitFrame);
    this.fitFrame = requestAnimationFrame(() => this.fitNow());
  }
}
