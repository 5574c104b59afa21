// The kubeconfig the demo fleet writes: one cluster, two users (bearer tokens), two contexts.
//
// The cluster carries an extension the console reads to find the demo's metrics:
//   clusters[0].cluster.extensions: [{ name: 'flightdeck.dev/demo',
//     extension: { prometheusUrl?: string, alertmanagerUrl?: string } }]
// (kubeconfig `NamedExtension`; kubectl and client-node ignore it.) Absent URLs mean "not running".
import YAML from 'yaml';

export const DEMO_CLUSTER = 'flightdeck-demo';
export const ADMIN_CONTEXT = 'demo-admin';
export const VIEWER_CONTEXT = 'demo-viewer';
export const DEMO_EXTENSION = 'flightdeck.dev/demo';

export interface KubeconfigInput {
  server: string;
  /** PEM of the CA; absent for plain HTTP (then insecure-skip-tls-verify is set, as client-node requires). */
  caCert?: string;
  adminToken: string;
  viewerToken: string;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  /** Which context is current; admin by default. */
  currentContext?: string;
}

export function buildKubeconfig(input: KubeconfigInput): string {
  const cluster: Record<string, unknown> = { server: input.server };
  if (input.caCert) cluster['certificate-authority-data'] = Buffer.from(input.caCert).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  const demo: Record<string, string> = {};
  if (input.prometheusUrl) demo.prometheusUrl = input.prometheusUrl;
  if (input.alertmanagerUrl) demo.alertmanagerUrl = input.alertmanagerUrl;
  cluster.extensions = [{ name: DEMO_EXTENSION, extension: demo }];
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: DEMO_CLUSTER, cluster }],
    users: [
      { name: ADMIN_CONTEXT, user: { token: input.adminToken } },
      { name: VIEWER_CONTEXT, user: { token: input.viewerToken } },
    ],
    contexts: [
      { name: ADMIN_CONTEXT, context: { cluster: DEMO_CLUSTER, user: ADMIN_CONTEXT, namespace: 'default' } },
      { name: VIEWER_CONTEXT, context: { cluster: DEMO_CLUSTER, user: VIEWER_CONTEXT, namespace: 'default' } },
    ],
    'current-context': input.currentContext ?? ADMIN_CONTEXT,
  };
  return YAML.stringify(doc);
}
