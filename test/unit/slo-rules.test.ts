// The exported Prometheus rules, checked by the machine's promtool: `check rules` on the bundled
// SLOs, and `test rules` (test/fixtures/slo/slo-rules-test.yml) for one alert per incident whichever
// window pair fires, and the period's ratio from the 5-minute recording.
import { describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sloFileSchema, slosFromFile } from '../../shared/model/slo.js';
import { recordedWindows, sloRules } from '../../electron/core/metrics/slo-rules.js';
import { loadSloFiles } from '../../electron/core/metrics/slo-files.js';
import { bundledSloDir } from '../../electron/core/metrics/index.js';
import { inTempDir, promtool } from './slo-promtool.js';

const fixture = fileURLToPath(new URL('../fixtures/slo/slo-rules-test.yml', import.meta.url));

const chat = slosFromFile(sloFileSchema.parse({ service: 'chat' }), 'chat.yaml');

describe('exported SLO rules', () => {
  it('pass promtool check rules for the bundled SLOs', () => {
    const { slos } = loadSloFiles([bundledSloDir()]);
    const rules = sloRules(slos);
    expect(rules.groups).toBe(slos.length);
    inTempDir((dir) => {
      writeFileSync(join(dir, 'rules.yml'), rules.yaml);
      expect(promtool(['check', 'rules', join(dir, 'rules.yml')])).toMatch(new RegExp(`SUCCESS: ${rules.rules} rules found`));
    });
  });

  it('fire one alert per incident and take the 30-day ratio from the 5-minute recording (promtool test rules)', () => {
    inTempDir((dir) => {
      writeFileSync(join(dir, 'rules.yml'), sloRules(chat).yaml);
      copyFileSync(fixture, join(dir, 'slo-rules-test.yml'));
      expect(promtool(['test', 'rules', join(dir, 'slo-rules-test.yml')])).toMatch(/SUCCESS/);
    });
  });

  it('drop the window label from alert identity and record the 5-minute base', () => {
    const { yaml } = sloRules(chat);
    expect(yaml).toContain('max(slo:sli_error:ratio_rate5m{slo_id="chat-availability"} > (14.4 * 0.001)) without (slo_window)');
    expect(yaml).not.toMatch(/ignoring\(slo_window\) slo:sli_error/);
    expect(yaml).not.toContain('[30d]))');
    expect(recordedWindows(chat[0])).toEqual(['5m', '1h', '6h', '30m', '1d', '2h', '3d']);
  });

  it('leave out a latency SLO whose threshold is not a bucket bound, saying why', () => {
    const [, latency] = chat;
    const rules = sloRules([{ ...latency, thresholdSeconds: 2, latencyBuckets: [0.5, 1, 2.5, 5, Infinity] }]);
    expect(rules.groups).toBe(0);
    expect(rules.yaml).toContain('# Left out chat-latency: The latency threshold 2 s is not a bucket bound');
  });
});
