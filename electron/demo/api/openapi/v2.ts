// /openapi/v2. kubectl 1.27+ reads OpenAPI v3 for explain, validation and apply; v2 is only asked
// for by older clients, and only as a gnostic protobuf `Document`. A minimal one (swagger "2.0",
// info) satisfies them: with no definitions they fall back to their built-in patch metadata.
import { SERVER_VERSION } from '../discovery.js';

/** A minimal gnostic OpenAPIv2 `Document` in protobuf: swagger "2.0" and info{title, version}. */
export function openapiV2Protobuf(): Buffer {
  const str = (field: number, s: string) => {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
  };
  const info = Buffer.concat([str(1, 'Kubernetes'), str(2, SERVER_VERSION.gitVersion)]);
  return Buffer.concat([str(1, '2.0'), Buffer.from([(2 << 3) | 2, info.length]), info]);
}

export function openapiV2Json(): unknown {
  return { swagger: '2.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths: {}, definitions: {} };
}
