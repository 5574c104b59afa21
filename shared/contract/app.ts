// Application-level methods: who am I talking to, and the user's settings.
import { z } from 'zod';
import { defineMethod } from '../contract-kit.js';
import { LIMITS, contextName, freeText } from './limits.js';

export const appInfoSchema = z.object({
  name: z.literal('Flightdeck'),
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  /** True for war-room screens: every mutating method is refused. */
  readOnly: z.boolean(),
  demo: z.boolean(),
  startedAt: z.string(),
  platform: z.string(),
  node: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const themeSchema = z.enum(['dark', 'light']);

export const settingsSchema = z.object({
  theme: themeSchema,
  /** Contexts whose name matches this regular expression need the workload's name typed to confirm. */
  productionContextPattern: freeText(),
  /** The context the console opens on; null = the kubeconfig's current-context. */
  activeContext: contextName().nullable(),
  /** Used by GPU cost figures (price of one GPU-hour). */
  gpuHourPriceUsd: z.number().nonnegative(),
  /** Per-context Prometheus URL override; unset = auto-detect. */
  prometheusUrls: z
    .record(contextName(), z.string().url().max(LIMITS.url))
    .refine((urls) => Object.keys(urls).length <= 1_000, { message: 'at most 1,000 contexts' }),
  /** Per-context Alertmanager URL; unset = none. */
  alertmanagerUrls: z
    .record(contextName(), z.string().url().max(LIMITS.url))
    .refine((urls) => Object.keys(urls).length <= 1_000, { message: 'at most 1,000 contexts' }),
  /** Per-context log store (Loki) URL; unset = none. */
  logStoreUrls: z
    .record(contextName(), z.string().url().max(LIMITS.url))
    .refine((urls) => Object.keys(urls).length <= 1_000, { message: 'at most 1,000 contexts' }),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Services besides Prometheus (metrics.setAuth) whose credentials the main process keeps. */
export const credentialServiceSchema = z.enum(['alertmanager', 'logs']);
export type CredentialService = z.infer<typeof credentialServiceSchema>;
export const authKindSchema = z.enum(['none', 'bearer', 'basic']);
export const serviceAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(LIMITS.secret) }),
  z.object({ kind: z.literal('basic'), username: z.string().min(1).max(LIMITS.identifier), password: z.string().max(LIMITS.secret) }),
]);
export type ServiceAuth = z.infer<typeof serviceAuthSchema>;

export const appContract = {
  'app.info': defineMethod({
    request: z.object({}).strict(),
    response: appInfoSchema,
    mutates: false,
    summary: 'Version, mode and session kind of this console.',
  }),
  'settings.get': defineMethod({
    request: z.object({}).strict(),
    response: settingsSchema,
    mutates: false,
    summary: 'The user settings.',
  }),
  'settings.set': defineMethod({
    request: settingsSchema.partial().strict(),
    response: settingsSchema,
    mutates: true,
    summary: 'Changes some settings; returns all of them.',
  }),
  'settings.setAuth': defineMethod({
    request: z.object({ context: contextName(), service: credentialServiceSchema, auth: serviceAuthSchema }).strict(),
    response: z.object({ auth: authKindSchema }),
    mutates: true,
    summary: 'Stores credentials for this context’s Alertmanager or log store in the main process (never sent back).',
  }),
  'settings.authStatus': defineMethod({
    request: z.object({ context: contextName() }).strict(),
    response: z.object({ alertmanager: authKindSchema, logs: authKindSchema }),
    mutates: false,
    summary: 'Which kind of credential is set for this context’s Alertmanager and log store (never the credential; Prometheus: metrics.source).',
  }),
} as const;
