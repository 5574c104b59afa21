// Which pod a runbook step is about, so the step can offer "Shell in pod": a kubectl exec, logs,
// attach, port-forward, cp, debug, describe or get naming one pod (`NAME`, `pod/NAME`,
// `pods NAME`). Only what is written down is read: a selector, a variable left unfilled or two
// pods named give no target. Pure.
import { kubectlCallsOfStep } from './runbook-kubectl.js';

export interface PodTarget {
  namespace?: string;
  pod: string;
  container?: string;
}

/** Verbs whose first positional argument is a pod (or `pod/NAME`). */
const POD_VERBS = new Set(['exec', 'logs', 'attach', 'port-forward', 'debug']);
/** Verbs that take `pod NAME`, `pods NAME` or `pod/NAME`. */
const KIND_VERBS = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'top']);
/** Flags followed by a value (so the value is not taken for the pod's name). */
const VALUE_FLAGS = new Set(['-n', '--namespace', '-c', '--container', '-l', '--selector', '-o', '--output', '--context', '--kubeconfig', '--tail', '--since', '--image', '--target', '-f', '--filename', '--field-selector']);
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The pod a step's command names, if exactly one; `kubectl` steps are written without the word kubectl. */
export function podTargetOfStep(kind: string, code: string): PodTarget | undefined {
  const found: PodTarget[] = [];
  for (const args of kubectlCallsOfStep(kind, code)) {
    const target = podTargetOfArgs(args);
    if (target && !found.some((f) => f.pod === target.pod && f.namespace === target.namespace)) found.push(target);
  }
  return found.length === 1 ? found[0] : undefined;
}

/** kubectl's arguments (after the word kubectl) -> the one pod they name. */
export function podTargetOfArgs(args: readonly string[]): PodTarget | undefined {
  let namespace: string | undefined;
  let container: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    const eq = /^(--[a-z-]+)=(.*)$/.exec(a);
    const flag = eq ? eq[1] : a;
    const value = eq ? eq[2] : args[i + 1];
    if (flag === '-n' || flag === '--namespace') namespace = value;
    else if (flag === '-c' || flag === '--container') container = value;
    else if (/^-n[a-z0-9]/.test(a)) namespace = a.slice(2);
    if (VALUE_FLAGS.has(flag)) {
      if (!eq) i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    positional.push(a);
  }
  const [verb, ...rest] = positional;
  let name: string | undefined;
  if (POD_VERBS.has(verb)) name = rest[0]?.replace(/^(pods?|po)\//, '');
  else if (KIND_VERBS.has(verb)) {
    if (/^(pods?|po)\//.test(rest[0] ?? '')) name = rest.length === 1 ? rest[0].replace(/^(pods?|po)\//, '') : undefined;
    else if (/^(pods?|po)$/.test(rest[0] ?? '') && rest.length === 2) name = rest[1];
  }
  if (!name || !NAME.test(name) || (namespace !== undefined && !NAME.test(namespace))) return undefined;
  return { pod: name, ...(namespace ? { namespace } : {}), ...(container && NAME.test(container) ? { container } : {}) };
}
