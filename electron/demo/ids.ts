// Unique ids for demo objects without a trip to the system's random source per object: a random
// per-process prefix plus a counter. Creating an object used to call crypto.randomUUID (and event
// names randomBytes), ~4% of the server thread when pods start and stop at 500/s each.
import { randomBytes } from 'node:crypto';

const prefix = randomBytes(10).toString('hex');
let counter = Math.floor(Math.random() * 0x10000);

/** A version-4-shaped UUID, unique in this process and, with overwhelming odds, across processes. */
export function newUid(): string {
  counter = (counter + 1) % 0x1000000000000;
  const tail = counter.toString(16).padStart(12, '0');
  // xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx: 19 random hex digits from the prefix, 12 from the counter.
  return `${prefix.slice(0, 8)}-${prefix.slice(8, 12)}-4${prefix.slice(12, 15)}-8${prefix.slice(15, 18)}-${prefix[18]}${tail.slice(1)}`;
}

/** 16 hex digits, unique in this process (event name suffixes, as the apiserver's are). */
export function newHexSuffix(): string {
  counter = (counter + 1) % 0x1000000000000;
  return prefix.slice(0, 4) + counter.toString(16).padStart(12, '0');
}
