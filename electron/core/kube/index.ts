// Kubernetes client module: requests and watches over a context's kubeconfig auth, the one error
// type, and the one table of kinds. Clusters, topology, rollouts and secrets all go through here.
// Log streams and exec build on openKubeStream (extra headers, the response body left to read).
export { KubeError } from './kube-error.js';
export { kubeRequest, getJson, openKubeStream, readBody, type KubeRequest, type RequestOptions, type HttpMethod } from './kube-request.js';
export { streamWatch, type WatchLine } from './kube-watch.js';
export { openKubeWebSocket, type KubeWebSocketOptions } from './kube-websocket.js';
export { KINDS, WATCHED_KIND_INFO, kindInfo, kindOfPlural, apiVersionOf, collectionPath, objectPath, type KindInfo, type KnownKind } from './kinds.js';
export { kubeconfigForContext } from './kubeconfig-for-context.js';
