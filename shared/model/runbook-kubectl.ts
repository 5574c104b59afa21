// What a runbook's kubectl or shell step would change, as Kubernetes access checks: the command
// lines (params already filled in) are read for the kubectl verbs that change things, their
// resource and namespace, so the step can be asked of SelfSubjectAccessReview before it runs.
// Whatever cannot be read with certainty (other programs, command substitution, manifests in
// files, another --context) is reported as "unchecked" with why, never guessed. Pure.
import type { AccessCheck } from '../contract/actions.js';

export interface ChangeReview {
  /** One per distinct permission the step needs; empty when nothing checkable changes. */
  checks: AccessCheck[];
  /** Why (part of) the step could not be RBAC-checked, one sentence each. */
  unchecked: string[];
}

interface Kind {
  group: string;
  resource: string;
  clusterScoped?: boolean;
}

const K = (group: string, resource: string, clusterScoped = false): Kind => ({ group, resource, clusterScoped });
const KINDS: Array<[string[], Kind]> = [
  [['deploy', 'deployment', 'deployments'], K('apps', 'deployments')],
  [['sts', 'statefulset', 'statefulsets'], K('apps', 'statefulsets')],
  [['ds', 'daemonset', 'daemonsets'], K('apps', 'daemonsets')],
  [['rs', 'replicaset', 'replicasets'], K('apps', 'replicasets')],
  [['ro', 'rollout', 'rollouts'], K('argoproj.io', 'rollouts')],
  [['po', 'pod', 'pods'], K('', 'pods')],
  [['no', 'node', 'nodes'], K('', 'nodes', true)],
  [['svc', 'service', 'services'], K('', 'services')],
  [['cm', 'configmap', 'configmaps'], K('', 'configmaps')],
  [['secret', 'secrets'], K('', 'secrets')],
  [['ns', 'namespace', 'namespaces'], K('', 'namespaces', true)],
  [['sa', 'serviceaccount', 'serviceaccounts'], K('', 'serviceaccounts')],
  [['pvc', 'persistentvolumeclaim', 'persistentvolumeclaims'], K('', 'persistentvolumeclaims')],
  [['pv', 'persistentvolume', 'persistentvolumes'], K('', 'persistentvolumes', true)],
  [['ep', 'endpoints'], K('', 'endpoints')],
  [['ev', 'event', 'events'], K('', 'events')],
  [['limits', 'limitrange', 'limitranges'], K('', 'limitranges')],
  [['quota', 'resourcequota', 'resourcequotas'], K('', 'resourcequotas')],
  [['job', 'jobs'], K('batch', 'jobs')],
  [['cj', 'cronjob', 'cronjobs'], K('batch', 'cronjobs')],
  [['hpa', 'horizontalpodautoscaler', 'horizontalpodautoscalers'], K('autoscaling', 'horizontalpodautoscalers')],
  [['pdb', 'poddisruptionbudget', 'poddisruptionbudgets'], K('policy', 'poddisruptionbudgets')],
  [['ing', 'ingress', 'ingresses'], K('networking.k8s.io', 'ingresses')],
  [['netpol', 'networkpolicy', 'networkpolicies'], K('networking.k8s.io', 'networkpolicies')],
  [['role', 'roles'], K('rbac.authorization.k8s.io', 'roles')],
  [['rolebinding', 'rolebindings'], K('rbac.authorization.k8s.io', 'rolebindings')],
  [['clusterrole', 'clusterroles'], K('rbac.authorization.k8s.io', 'clusterroles', true)],
  [['clusterrolebinding', 'clusterrolebindings'], K('rbac.authorization.k8s.io', 'clusterrolebindings', true)],
  [['sc', 'storageclass', 'storageclasses'], K('storage.k8s.io', 'storageclasses', true)],
  [['crd', 'crds', 'customresourcedefinition', 'customresourcedefinitions'], K('apiextensions.k8s.io', 'customresourcedefinitions', true)],
];
const KIND_BY_NAME = new Map(KINDS.flatMap(([names, kind]) => names.map((n) => [n, kind] as const)));

/** `deploy`, `Deployment`, `deployments.apps`, `rollouts.argoproj.io`; undefined when unknown. */
export function kindOf(word: string): Kind | undefined {
  const lower = word.toLowerCase();
  const known = KIND_BY_NAME.get(lower);
  if (known) return known;
  const dot = lower.indexOf('.');
  if (dot > 0) {
    const base = KIND_BY_NAME.get(lower.slice(0, dot));
    const group = lower.slice(dot + 1);
    if (base && (base.group === group || (group === 'core' && base.group === ''))) return base;
    // `widgets.example.com`: kubectl's resource.group form names the resource and group exactly.
    if (/^[a-z0-9-]+$/.test(lower.slice(0, dot)) && group.includes('.')) return K(group, lower.slice(0, dot));
  }
  return undefined;
}

const READ_ONLY_VERBS = new Set(['get', 'describe', 'logs', 'top', 'explain', 'api-resources', 'api-versions', 'version', 'cluster-info', 'auth', 'config', 'wait', 'diff', 'events', 'completion']);
const READ_ONLY_ROLLOUT = new Set(['status', 'history']);
const CHANGING_ROLLOUT = new Set(['restart', 'undo', 'pause', 'resume']);
/** Programs a pipeline may feed kubectl's output through without changing anything. */
const FILTERS = new Set(['grep', 'egrep', 'awk', 'sort', 'uniq', 'head', 'tail', 'wc', 'jq', 'yq', 'cut', 'tr', 'column', 'cat', 'echo', 'printf', 'true', 'sleep', 'date']);
/** Flags that take the next word as their value (when not written `--flag=value`). */
const VALUE_FLAGS = new Set([
  '-n', '--namespace', '-l', '--selector', '-f', '--filename', '-k', '--kustomize', '-o', '--output', '-p', '--patch', '--type', '--replicas', '--current-replicas',
  '--image', '-c', '--container', '--timeout', '--grace-period', '--field-selector', '--to-revision', '--resource-version', '--from-literal', '--from-file',
  '--from-env-file', '--field-manager', '--template', '--patch-file', '--subresource', '--pod-selector', '--chunk-size', '-L', '--label-columns', '--cascade',
]);
/** Flags that point kubectl somewhere other than the run's context: its RBAC check would say nothing. */
const ELSEWHERE_FLAGS = new Set(['--context', '--kubeconfig', '--cluster', '--user', '--server', '-s', '--token', '--as', '--as-group']);

/** Splits one command into words, honouring quotes and backslashes; undefined on an open quote. */
export function shellWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}

/** Logical lines (backslash continuations joined, comments and blank lines dropped). */
function logicalLines(script: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of script.split('\n')) {
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    const t = current.trim();
    if (t && !t.startsWith('#')) out.push(t);
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Splits a line at `|`, `||`, `&&` and `;` outside quotes; undefined if it holds `$(`, backticks, redirections into files or subshells. */
function commandsOf(line: string): string[] | undefined {
  const parts: string[] = [];
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '$' && line[i + 1] === '(' && quote === '"') return undefined;
      current += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '`' || (c === '$' && line[i + 1] === '(') || c === '(' || c === ')' || c === '<' || c === '>') return undefined;
    else if (c === '|' || c === ';' || (c === '&' && line[i + 1] === '&')) {
      parts.push(current);
      current = '';
      if (line[i + 1] === c) i++;
      continue;
    } else if (c === '&') return undefined; // a background job
    current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

interface Invocation {
  verb: string;
  /** Words that are not flags or their values, after the verb. */
  args: string[];
  namespace?: string;
  allNamespaces: boolean;
  fromFile: boolean;
  elsewhere?: string;
  dryRun: boolean;
}

function readInvocation(words: string[]): Invocation | undefined {
  const args: string[] = [];
  const inv: Invocation = { verb: '', args, allNamespaces: false, fromFile: false, dryRun: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') break; // `kubectl exec … -- cmd`: the rest is not kubectl's
    if (w.startsWith('-') && w.length > 1) {
      const eq = w.indexOf('=');
      const flag = eq > 0 ? w.slice(0, eq) : /^-n.+/.test(w) ? '-n' : w;
      let value = eq > 0 ? w.slice(eq + 1) : /^-n.+/.test(w) ? w.slice(2) : undefined;
      if (value === undefined && VALUE_FLAGS.has(flag)) value = words[++i];
      if (value === undefined && ELSEWHERE_FLAGS.has(flag)) value = words[++i];
      if (flag === '-n' || flag === '--namespace') inv.namespace = value;
      else if (flag === '-A' || flag === '--all-namespaces') inv.allNamespaces = true;
      else if (flag === '-f' || flag === '--filename' || flag === '-k' || flag === '--kustomize') inv.fromFile = true;
      else if (flag === '--dry-run') inv.dryRun = value !== 'none';
      else if (ELSEWHERE_FLAGS.has(flag)) inv.elsewhere = `${flag} ${value ?? ''}`.trim();
      continue;
    }
    if (!inv.verb) inv.verb = w;
    else args.push(w);
  }
  return inv.verb ? inv : undefined;
}

/** `kind/name …` or `kind name …` (also `kind1,kind2`): each kind with its names; undefined kinds named. */
function targetsOf(args: string[]): { targets: Array<{ kind: Kind; name?: string }>; unknown: string[] } {
  const targets: Array<{ kind: Kind; name?: string }> = [];
  const unknown: string[] = [];
  if (!args.length) return { targets, unknown };
  if (args[0].includes('/')) {
    for (const a of args) {
      if (!a.includes('/') || a.includes('=')) continue; // label=value, container=image after the targets
      const [word, name] = a.split('/', 2);
      const kind = kindOf(word);
      if (kind) targets.push({ kind, name });
      else unknown.push(word);
    }
    return { targets, unknown };
  }
  const names = args.slice(1).filter((a) => !a.includes('=') && !/^[\w./-]+[-+]$/.test(a) && !a.includes(':'));
  for (const word of args[0].split(',')) {
    const kind = kindOf(word);
    if (!kind) unknown.push(word);
    else if (names.length === 1) targets.push({ kind, name: names[0] });
    else targets.push({ kind });
  }
  return { targets, unknown };
}

/** What one kubectl invocation (words after `kubectl`) needs, or why it cannot be told. */
function reviewInvocation(words: string[], defaultNamespace: string, review: ChangeReview, shown: string): void {
  const inv = readInvocation(words);
  if (!inv) return;
  const note = (why: string): void => {
    review.unchecked.push(`\`${shown}\`: ${why}`);
  };
  let verb = inv.verb;
  let args = inv.args;
  if (READ_ONLY_VERBS.has(verb) || (verb === 'rollout' && READ_ONLY_ROLLOUT.has(args[0] ?? ''))) return;
  if (inv.dryRun) return; // --dry-run=client|server changes nothing
  if (inv.elsewhere) return note(`it targets another cluster or identity (${inv.elsewhere}), so the run's context cannot vouch for it`);
  if (verb === 'rollout') {
    if (!CHANGING_ROLLOUT.has(args[0] ?? '')) return note(`kubectl rollout ${args[0] ?? ''} is not a subcommand Flightdeck can check`);
    args = args.slice(1);
    verb = 'patch';
  }
  let needs: Array<{ verb: string; subresource?: string }>;
  switch (verb) {
    case 'scale':
      needs = [{ verb: 'patch', subresource: 'scale' }];
      break;
    case 'delete':
    case 'create':
    case 'patch':
      needs = [{ verb }];
      break;
    case 'apply':
    case 'replace':
      needs = [{ verb: verb === 'apply' ? 'patch' : 'update' }];
      break;
    case 'edit':
    case 'label':
    case 'annotate':
    case 'taint':
      needs = [{ verb: 'patch' }];
      break;
    case 'set':
      args = args.slice(1); // set image|env|resources|selector|serviceaccount|subject
      needs = [{ verb: 'patch' }];
      break;
    case 'cordon':
    case 'uncordon':
      args = ['nodes', ...args];
      needs = [{ verb: 'patch' }];
      break;
    case 'drain':
      args = ['nodes', ...args];
      needs = [{ verb: 'patch' }];
      break;
    default:
      return note(`kubectl ${verb} is not a command Flightdeck can RBAC-check`);
  }
  if (inv.fromFile) return note(`kubectl ${inv.verb} reads its objects from a file, so what it changes is not known before it runs`);
  if (verb === 'create' && args.length >= 2 && ['secret', 'service', 'svc'].includes(args[0]) && !args[1].includes('/')) args = [args[0], ...args.slice(2)]; // create secret generic NAME
  if (verb === 'taint' && args[0] && !args[0].includes('/') && !kindOf(args[0])) args = ['nodes', ...args];
  const { targets, unknown } = targetsOf(args);
  for (const word of unknown) note(`"${word}" is not a kind Flightdeck knows`);
  if (!targets.length) {
    if (!unknown.length) note(`no resource named, so what it changes is not known`);
    return;
  }
  for (const { kind, name } of targets) {
    const namespace = kind.clusterScoped || inv.allNamespaces ? undefined : (inv.namespace ?? defaultNamespace);
    for (const need of needs) review.checks.push({ verb: need.verb, group: kind.group, resource: kind.resource, ...(need.subresource ? { subresource: need.subresource } : {}), ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) });
  }
  // Drain evicts every pod on the node, in any namespace.
  if (inv.verb === 'drain') review.checks.push({ verb: 'create', group: '', resource: 'pods', subresource: 'eviction' });
}

const keyOf = (c: AccessCheck) => [c.verb, c.group, c.resource, c.subresource ?? '', c.namespace ?? '', c.name ?? ''].join('\u0000');

/**
 * The access checks a step needs. `kubectl` steps may omit the leading `kubectl` on each line;
 * `sh` steps are read for plain kubectl commands, and anything else in them is unchecked.
 */
export function reviewStepChanges(kind: 'sh' | 'kubectl', script: string, defaultNamespace = 'default'): ChangeReview {
  const review: ChangeReview = { checks: [], unchecked: [] };
  for (const line of logicalLines(script)) {
    const commands = commandsOf(line);
    if (!commands) {
      review.unchecked.push(`\`${line}\`: command substitution, subshells or redirections cannot be checked before they run`);
      continue;
    }
    commands.forEach((command, i) => {
      const words = shellWords(command);
      if (!words?.length) {
        review.unchecked.push(`\`${command}\`: could not be read (an unclosed quote)`);
        return;
      }
      // In a kubectl block the first command of a line is kubectl even without the word.
      const isKubectl = words[0] === 'kubectl' || (kind === 'kubectl' && i === 0 && !/^[|&;)-]/.test(line));
      if (isKubectl) return reviewInvocation(words[0] === 'kubectl' ? words.slice(1) : words, defaultNamespace, review, command);
      if (!FILTERS.has(words[0])) review.unchecked.push(`\`${command}\`: ${words[0]} is not kubectl, so what it does cannot be RBAC-checked`);
    });
  }
  const seen = new Set<string>();
  review.checks = review.checks.filter((c) => (seen.has(keyOf(c)) ? false : (seen.add(keyOf(c)), true)));
  return review;
}

/**
 * The kubectl argument lists (after the word kubectl) a runbook step runs: each `kubectl …` of a sh
 * step, split at |, ||, && and ;, or each command of a kubectl step (written without the word).
 */
export function kubectlCallsOfStep(kind: string, code: string): string[][] {
  if (kind !== 'kubectl' && kind !== 'sh') return [];
  const calls: string[][] = [];
  for (const line of code.split('\n')) {
    for (const part of line.split(/\|\||&&|[|;]/)) {
      const words = shellWords(part.trim());
      if (!words?.length) continue;
      const start = kind === 'kubectl' && words[0] !== 'kubectl' ? 0 : words.indexOf('kubectl') + 1;
      if (start === 0 && kind === 'sh') continue;
      calls.push(words.slice(start));
    }
  }
  return calls;
}
