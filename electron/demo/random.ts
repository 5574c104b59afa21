// A small seeded PRNG so that `--seed S` gives the same fleet, names and log lines every run.
// mulberry32: 32 bits of state, good enough for simulation, and fast (seeding 10k pods draws ~100k numbers).

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  range(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Characters from the apiserver's generateName alphabet. */
  suffix(length?: number): string;
  hex(length: number): string;
  /** A new independent generator derived from this one and a label (per-pod streams). */
  fork(label: string): Random;
}

export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rnd: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    range: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    suffix(length = 5) {
      let out = '';
      for (let i = 0; i < length; i++) out += NAME_ALPHABET[Math.floor(next() * NAME_ALPHABET.length)];
      return out;
    },
    hex(length) {
      let out = '';
      for (let i = 0; i < length; i++) out += Math.floor(next() * 16).toString(16);
      return out;
    },
    fork: (label) => createRandom(fnv32a(label, Math.floor(next() * 4294967296))),
  };
  return rnd;
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`, continuing from `basis`. */
export function fnv32a(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return fnv32aBytes(Buffer.from(text.slice(i), 'utf8'), h);
    h ^= c;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function fnv32aBytes(bytes: Uint8Array, basis: number): number {
  let h = basis;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A generator whose sequence depends only on the labels: the same pod gets the same log lines. */
export function randomFor(...labels: (string | number)[]): Random {
  return createRandom(fnv32a(labels.join('\u0000')));
}
