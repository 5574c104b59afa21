// Every web contents the app ever creates (windows, devtools, any frame a bug might open) gets the
// same guard: it may not navigate away from the bundled page, open windows or attach webviews.
// Installed on the app, not on one window, so a later window cannot be forgotten.
import type { App, WebContents } from 'electron';

type Preventable = { preventDefault(): void };
const deny = (event: Preventable): void => event.preventDefault();

/** Navigation, redirects, subframe navigation, webviews and window.open are all refused. */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-frame-navigate', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function installNavigationGuard(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}
