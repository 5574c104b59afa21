// Where contexts come from, in kubectl's order: --kubeconfig, else every file in KUBECONFIG
// (merged, first one wins for duplicate names), else ~/.kube/config. The demo fleet's kubeconfig is
// merged in too. A file that is missing or broken becomes a `problem` shown in the UI, never a crash.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { ExecCredentials } from './exec-credentials.js';

export interface KubeconfigInput {
  /** --kubeconfig; when given, KUBECONFIG and ~/.kube/config are not read. */
  explicitPath?: string;
  /** The environment's KUBECONFIG value. */
  envKubeconfig?: string;
  /** Kubeconfig YAML of the embedded demo fleet. */
  demoKubeconfig?: string;
  /** Whether to fall back to ~/.kube/config when nothing else is given. */
  useHomeConfig?: boolean;
  home?: string;
}

export interface LoadedKubeconfig {
  config: KubeConfig;
  /** Context names that belong to the demo fleet. */
  demoContexts: Set<string>;
  sources: string[];
  problems: string[];
  /** The files that were (or would have been) read, for the file watcher. */
  files: string[];
  /** Exec plugin credentials, shared by every KubeConfig made from this one (and kept across reloads). */
  execCredentials: ExecCredentials;
}

/** The kubeconfig files kubectl would read for this input, in its order. */
export function kubeconfigFiles(input: KubeconfigInput): string[] {
  return input.explicitPath
    ? [input.explicitPath]
    : input.envKubeconfig
      ? input.envKubeconfig.split(delimiter).filter(Boolean)
      : input.useHomeConfig !== false
        ? [join(input.home ?? homedir(), '.kube', 'config')]
        : [];
}

export function loadKubeconfig(input: KubeconfigInput): LoadedKubeconfig {
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  const sources: string[] = [];
  const problems: string[] = [];
  const demoContexts = new Set<string>();

  const files = kubeconfigFiles(input);

  for (const file of files) {
    if (!existsSync(file)) {
      // kubectl ignores missing KUBECONFIG entries; an explicit --kubeconfig must exist.
      if (file === input.explicitPath) problems.push(`The kubeconfig file ${file} does not exist.`);
      continue;
    }
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(file);
      resolveExecCommands(kc, dirname(file));
      mergeInto(merged, kc);
      sources.push(file);
    } catch (error) {
      problems.push(`The kubeconfig file ${file} could not be read: ${error instanceof Error ? error.message : String(error)}. Fix it, or start with --demo.`);
    }
  }

  if (input.demoKubeconfig) {
    try {
      const kc = new KubeConfig();
      kc.loadFromString(input.demoKubeconfig);
      for (const ctx of kc.getContexts()) demoContexts.add(ctx.name);
      mergeInto(merged, kc);
      sources.push('demo fleet');
    } catch (error) {
      problems.push(`The demo fleet's kubeconfig is invalid: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { config: merged, demoContexts, sources, problems, files, execCredentials: new ExecCredentials() };
}

/** Like kubectl: an exec command with a path (`./bin/token`) is relative to its kubeconfig file. */
function resolveExecCommands(kc: KubeConfig, dir: string): void {
  const users = kc.users.map((user): User => {
    const command = (user.exec as { command?: unknown } | undefined)?.command;
    if (typeof command !== 'string' || isAbsolute(command) || !/[/\\]/.test(command)) return user;
    return { ...user, exec: { ...(user.exec as object), command: join(dir, command) } };
  });
  kc.loadFromOptions({ clusters: kc.clusters, users, contexts: kc.contexts, currentContext: kc.currentContext });
}

/** Merges like kubectl: the first definition of a name wins; current-context from the first file that sets one. */
function mergeInto(target: KubeConfig, source: KubeConfig): void {
  const has = <T extends { name: string }>(list: T[], name: string) => list.some((x) => x.name === name);
  const clusters = [...target.clusters, ...source.clusters.filter((c) => !has(target.clusters, c.name))];
  const users = [...target.users, ...source.users.filter((u) => !has(target.users, u.name))];
  const contexts = [...target.contexts, ...source.contexts.filter((c) => !has(target.contexts, c.name))];
  const currentContext = target.currentContext || source.currentContext;
  target.loadFromOptions({ clusters, users, contexts, currentContext });
}

/** A KubeConfig whose current context is `name`: every client made from it talks to that context. */
export function configForContext(loaded: LoadedKubeconfig, name: string): KubeConfig {
  const { config } = loaded;
  if (!config.getContextObject(name)) throw new Error(`There is no context "${name}" in the kubeconfig.`);
  // Exec users move to our authenticator (cached credentials, KUBERNETES_EXEC_INFO); client-node's
  // built-in ExecAuth would otherwise match them first.
  const execByUser = new Map<string, unknown>();
  const users = config.users.map((user): User => {
    if (!user.exec) return user;
    execByUser.set(user.name, user.exec);
    return { ...user, exec: undefined };
  });
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: config.clusters, users, contexts: config.contexts, currentContext: name });
  if (execByUser.size > 0) kc.addAuthenticator(loaded.execCredentials.authenticator(execByUser, kc.getCurrentCluster()));
  return kc;
}

/** What the context list shows about how a context authenticates and whether TLS is checked. */
export function contextSecurity(loaded: LoadedKubeconfig, name: string): { execCommand?: string; insecureSkipTlsVerify: boolean } {
  const ctx = loaded.config.getContextObject(name);
  const user = ctx ? loaded.config.getUser(ctx.user) : null;
  const cluster = ctx ? loaded.config.getCluster(ctx.cluster) : null;
  const command = (user?.exec as { command?: unknown } | undefined)?.command;
  return { execCommand: typeof command === 'string' ? command : undefined, insecureSkipTlsVerify: cluster?.skipTLSVerify === true };
}

/** A context's cluster and user entries, to tell whether a reload changed how it connects. */
export function connectionIdentity(loaded: LoadedKubeconfig, name: string): string | undefined {
  const ctx = loaded.config.getContextObject(name);
  if (!ctx) return undefined;
  return JSON.stringify([ctx, loaded.config.getCluster(ctx.cluster), loaded.config.getUser(ctx.user)]);
}
