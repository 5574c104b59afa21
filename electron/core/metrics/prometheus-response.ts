// Validates Prometheus HTTP API answers (docs/querying/api.md): the wrapper with zod, matrix samples
// with a hand-written loop because a heatmap answer holds millions of them.
import { z } from 'zod';
import { ContractError, describeIssues } from '../../../shared/contract-kit.js';
import type { MatrixSeries } from '../../../shared/model/gpu-grid.js';
import type { HttpAnswer } from './prometheus-http.js';

const envelopeSchema = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});

const labelsSchema = z.record(z.string(), z.string());
const sampleSchema = z.tuple([z.number(), z.string()]);

export const vectorSchema = z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: labelsSchema, value: sampleSchema })) });
export const scalarSchema = z.object({ resultType: z.enum(['scalar', 'string']), result: sampleSchema });
const matrixShellSchema = z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labelsSchema, values: z.array(z.unknown()) })) });
export const instantDataSchema = z.union([vectorSchema, scalarSchema, z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labelsSchema, values: z.array(sampleSchema) })) })]);

export type InstantData = z.infer<typeof instantDataSchema>;

/**
 * An instant vector checked by a hand-written loop (string labels, [number, string] samples): zod
 * took 40-230 ms for the 8,000 samples of a fleet-wide `*_over_time` answer, the loop ~1 ms. Returns
 * null for anything else, which then goes through instantDataSchema and its error messages.
 */
export function checkVector(data: unknown): InstantData | null {
  if (typeof data !== 'object' || data === null) return null;
  const { resultType, result } = data as { resultType?: unknown; result?: unknown };
  if (resultType !== 'vector' || !Array.isArray(result)) return null;
  for (const r of result as unknown[]) {
    if (typeof r !== 'object' || r === null) return null;
    const { metric, value } = r as { metric?: unknown; value?: unknown };
    if (typeof metric !== 'object' || metric === null || Array.isArray(metric)) return null;
    for (const k in metric) if (typeof (metric as Record<string, unknown>)[k] !== 'string') return null;
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number' || typeof value[1] !== 'string') return null;
  }
  return data as InstantData;
}

export interface Decoded {
  data: unknown;
  warnings: string[];
}

/** The `data` of a successful answer, or a ContractError telling what Prometheus said. */
export function decodeAnswer(answer: HttpAnswer, where: string): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    const snippet = answer.body.slice(0, 80).replace(/\s+/g, ' ');
    throw new ContractError(
      'upstream_error',
      `${where} answered HTTP ${answer.status} with something that is not Prometheus JSON (${answer.contentType || 'no content type'}: "${snippet}"). Is the URL pointing at Prometheus (not Grafana or a login page)?`,
      { status: answer.status },
    );
  }
  const env = envelopeSchema.safeParse(json);
  if (!env.success) {
    throw new ContractError('upstream_error', `${where} answered in an unexpected shape (${describeIssues(env.error)}). Is it a Prometheus-compatible API?`, { status: answer.status });
  }
  const e = env.data;
  if (e.status === 'error' || answer.status >= 400) {
    if (answer.status === 401 || answer.status === 403) {
      throw new ContractError('upstream_error', `${where} refused the request (HTTP ${answer.status}). Set a bearer token or basic auth for this context's Prometheus.`, { status: answer.status });
    }
    const kind = e.errorType ?? `HTTP ${answer.status}`;
    const code = e.errorType === 'timeout' ? 'timeout' : 'upstream_error';
    throw new ContractError(code, `Prometheus at ${where} rejected the query (${kind}): ${e.error ?? 'no reason given'}`, {
      status: answer.status,
      errorType: e.errorType,
    });
  }
  return { data: e.data, warnings: [...(e.warnings ?? []), ...(e.infos ?? [])] };
}

const shapeError = (where: string, what: string) =>
  new ContractError('upstream_error', `${where} answered a range query in an unexpected shape (${what}). Is it a Prometheus-compatible API?`);

export function parseMatrix(data: unknown, where: string): MatrixSeries[] {
  const shell = matrixShellSchema.safeParse(data);
  if (!shell.success) throw shapeError(where, describeIssues(shell.error));
  for (const s of shell.data.result) {
    for (const sample of s.values) {
      if (!Array.isArray(sample) || sample.length !== 2 || typeof sample[0] !== 'number' || typeof sample[1] !== 'string') {
        throw shapeError(where, `a sample of ${JSON.stringify(s.metric).slice(0, 120)} is ${JSON.stringify(sample).slice(0, 40)}`);
      }
    }
  }
  return shell.data.result.map((s) => ({ labels: s.metric, values: s.values as Array<[number, string]> }));
}
