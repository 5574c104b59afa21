// Electron shell only: one secure window, a menu, the lifecycle, and the IPC transport wired to
// the same core that browser mode serves. Every capability lives in electron/core (plain Node).
import { app, BrowserWindow, ipcMain, Menu, protocol, session, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { createApp } from './core/app.js';
import { registerIpcTransport } from './transport/ipc.js';
import { secureWindowOptions } from './window-options.js';
import { CONTENT_SECURITY_POLICY } from './transport/security-headers.js';
import { parseArgs } from './cli-args.js';
import { startDemoIfAsked } from './demo-launch.js';
import { handleRendererProtocol, registerRendererScheme, RENDERER_URL } from './shell/renderer-protocol.js';
import { installNavigationGuard } from './shell/navigation-guard.js';

// main.cjs lives in dist/electron; the built renderer beside it in dist/renderer.
const rendererRoot = join(__dirname, '..', 'renderer');

/** Only the bundled page may use IPC: top frame, our own app:// page. */
export function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && frame.url.split('#')[0].split('?')[0] === RENDERER_URL;
}

export async function startShell(argv: string[]): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const args = parseArgs(argv);
  // Before 'ready' (Electron's rule for scheme privileges); the guard before any window exists.
  registerRendererScheme(protocol);
  installNavigationGuard(app);
  await app.whenReady();
  handleRendererProtocol(protocol, rendererRoot);

  // Deny every permission request (camera, notifications, geolocation...) and enforce the CSP.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  const demo = await startDemoIfAsked(args);
  const core = await createApp({
    mode: 'electron',
    dataDir: args.dataDir ?? join(app.getPath('userData')),
    kubeconfig: { explicitPath: args.kubeconfig, envKubeconfig: process.env.KUBECONFIG, demoKubeconfig: demo?.kubeconfig, useHomeConfig: !args.demo },
    demo: !!demo,
    demoPrometheusUrl: demo?.prometheusUrl,
    demoAlertmanagerUrl: demo?.alertmanagerUrl,
    version: app.getVersion(),
    prefetchTopology: true,
  });
  const stopIpc = registerIpcTransport({ ipcMain, server: core.server, isTrustedSender });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );

  const window = new BrowserWindow(secureWindowOptions(join(__dirname, 'preload.cjs')));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(RENDERER_URL);

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    stopIpc();
    void core.stop();
    void demo?.stop();
  });
}

if (process.versions.electron && !process.env.VITEST) {
  startShell(process.argv.slice(1)).catch((error: unknown) => {
    console.error(error);
    app.exit(1);
  });
}
