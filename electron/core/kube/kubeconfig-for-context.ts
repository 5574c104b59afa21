// The console's kubeconfig (every file it merged, exec plugins and all) as one document whose
// current context is `context`: what a child process's KUBECONFIG points at (runbook steps, the
// terminal's local shell), so its kubectl talks to the cluster the console shows.
import type { KubeConfig } from '@kubernetes/client-node';

export function kubeconfigForContext(config: KubeConfig, context: string): string {
  const exported = JSON.parse(config.exportConfig()) as Record<string, unknown>;
  return JSON.stringify({ ...exported, 'current-context': context });
}
