// How a simulated container behaves, decided by its image. Scenarios (and users of the demo with
// `kubectl set image web=app:broken`) use it to make a rollout fail in a realistic way.

export type ImageBehaviour = 'ok' | 'crash' | 'never-ready' | 'pull-error';

interface Rule {
  pattern: RegExp;
  behaviour: ImageBehaviour;
}

const DEFAULT_RULES: Rule[] = [
  { pattern: /:[^/]*(broken|crash)[^/]*$/, behaviour: 'crash' },
  { pattern: /:[^/]*(never-ready|unready|hang)[^/]*$/, behaviour: 'never-ready' },
  { pattern: /:[^/]*(does-not-exist|notfound|missing)[^/]*$/, behaviour: 'pull-error' },
];

let rules: Rule[] = [...DEFAULT_RULES];

/**
 * Makes images matching `pattern` behave as given, ahead of earlier rules. A string matches as a
 * substring of the image reference (`registry/app:tag`). Affects containers started from now on.
 */
export function setImageBehaviour(pattern: string | RegExp, behaviour: ImageBehaviour): void {
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
  rules = [{ pattern: re, behaviour }, ...rules.filter((r) => r.pattern.source !== re.source)];
}

/** Forgets every rule set with setImageBehaviour (tests, scenario teardown). */
export function resetImageBehaviours(): void {
  rules = [...DEFAULT_RULES];
}

export function imageBehaviour(image: string): ImageBehaviour {
  for (const rule of rules) if (rule.pattern.test(image)) return rule.behaviour;
  return 'ok';
}
