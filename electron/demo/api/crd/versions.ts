// A custom resource read through another served version of its CRD than the one it was written
// in: with conversion strategy None (the only one the demo serves) the apiserver changes nothing
// but apiVersion, so that is all this does. Built-in kinds and same-version reads pass through.
import type { KubeObject } from '../../store.js';
import type { ResourceDef } from '../registry.js';
import { apiVersionOf } from '../registry.js';

export function servedAs(r: ResourceDef, obj: KubeObject): KubeObject {
  if (!r.custom) return obj;
  const apiVersion = apiVersionOf(r);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}
