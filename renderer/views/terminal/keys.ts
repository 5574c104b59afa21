// The keys the terminal keeps for itself and the few it gives the console. A shell needs Ctrl+K,
// Ctrl+R, Ctrl+W, `g`, `:` and `?`, so while a terminal has focus no global shortcut sees a key,
// except the escape hatch Ctrl+Shift+K (⌘K on a Mac), which opens the command palette.

export type TerminalKeyAction = 'copy' | 'paste' | 'search' | 'palette';

type Keyish = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

/** What a key does in the terminal other than going to the shell; undefined: the shell gets it. */
export function terminalKeyAction(e: Keyish): TerminalKeyAction | undefined {
  if (e.altKey) return undefined;
  const key = e.key.toLowerCase();
  // Ctrl+Shift+<key> on Linux and Windows (plain Ctrl+C is the shell's interrupt), ⌘<key> on a Mac.
  const chord = (e.ctrlKey && e.shiftKey && !e.metaKey) || (e.metaKey && !e.ctrlKey);
  if (!chord) return undefined;
  if (key === 'c') return 'copy';
  if (key === 'v') return 'paste';
  if (key === 'f') return 'search';
  if (key === 'k') return 'palette';
  return undefined;
}

/** Whether a keydown inside the terminal may reach the console's global shortcuts. */
export const reachesConsole = (e: Keyish): boolean => terminalKeyAction(e) === 'palette';

/** Puts text on the clipboard; the async Clipboard API where allowed, else a hidden textarea. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** Reads the clipboard's text; empty when the page may not (the browser asks the user once). */
export async function pasteText(): Promise<string> {
  try {
    return await navigator.clipboard.readText();
  } catch {
    return '';
  }
}
