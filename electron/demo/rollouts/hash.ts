// Pod template hashes the way Kubernetes (and Argo Rollouts, which reuses it) names them: a
// 32-bit FNV-1a over the template plus the collision count, printed in decimal and then mapped
// character by character onto the apiserver's "safe" alphabet (no vowels, no look-alikes), so
// `recommender-7d9c5b8f6d` looks like the real thing. Deterministic for a template.

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** JSON with object keys sorted, so two equal templates hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const base = fnv1a32(stableJson(template));
  const h = collisionCount ? fnv1a32(String(collisionCount), base) : base;
  return safeEncode(String(h));
}

/** Argo's currentStepHash: a hash of the canary steps, so a change of steps restarts them. */
export function stepsHash(steps: unknown): string {
  return safeEncode(String(fnv1a32(stableJson(steps ?? []))));
}
