// Resource browser benchmark (issue #20): a cluster with BENCH_CRDS custom resource definitions and
// BENCH_OBJECTS objects of one custom kind (50,000), the console in Chromium. Measures time to
// first rows (click on the kind -> first row on screen; the first Table page, limit=500), time to
// every row listed, and event-to-screen at BENCH_RATE changes/s (500) for BENCH_SECONDS: from the
// API server's answer to a write until the screen shows that value or a later one for that row
// (changes coalesce, so an overwritten value counts as shown when its successor is). Half the
// writes go to rows on screen (measured), half to random rows elsewhere (load).
// Prints `resources.<metric> <value> <unit>` and `target ...` lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoFleet } from '../../electron/demo/index.js';
import { launchBrowser, screenshot, startConsole } from '../e2e/harness.js';
import { kubeClient, type KubeClient } from './_kube-client.js';
import { percentile } from './_percentile.js';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 50_000);
const CRDS = Number(process.env.BENCH_CRDS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const VISIBLE = 20;
const GROUP = 'bench.flightdeck.dev';

const print = (metric: string, value: number, unit: string, target?: string) => {
  console.log(`resources.${metric} ${Number(value.toFixed(1))} ${unit}`);
  if (target) console.log(`target ${metric} ${target}`);
};

const crd = (group: string, kind: string, plural: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural, singular: kind.toLowerCase(), kind },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        additionalPrinterColumns: [
          { name: 'Model', type: 'string', jsonPath: '.spec.model' },
          { name: 'GPUs', type: 'integer', jsonPath: '.spec.gpus' },
        ],
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { model: { type: 'string' }, gpus: { type: 'integer' } } } } } },
      },
    ],
  },
});

const objectName = (i: number) => `w-${String(i).padStart(6, '0')}`;
const widgets = `/apis/${GROUP}/v1/namespaces/default/widgets`;

async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function seed(client: KubeClient) {
  const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  await client.ok('POST', crdPath, crd(GROUP, 'Widget', 'widgets'));
  await inParallel(CRDS - 1, 8, (i) => client.ok('POST', crdPath, crd(`g${i}.bench.flightdeck.dev`, `Thing${i}`, `things${i}`)));
  for (let tries = 0; (await client.request('GET', `${widgets}?limit=1`)).status !== 200; tries++) {
    if (tries > 100) throw new Error('the Widget CRD was never served');
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = performance.now();
  await inParallel(OBJECTS, 32, (i) => client.ok('POST', widgets, { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: objectName(i) }, spec: { model: 'm-0', gpus: i % 8 } }));
  console.log(`# seeded ${CRDS} CRDs and ${OBJECTS} widgets in ${Math.round((performance.now() - started) / 1000)} s`);
}

const dir = mkdtempSync(join(tmpdir(), 'fd-bench-resources-'));
const kubeconfig = join(dir, 'kubeconfig.yaml');
const fleet = await startDemoFleet({ speed: 10, kubeconfigOut: kubeconfig });
const client = kubeClient(fleet, 64);
const console_ = await (async () => {
  await seed(client);
  return startConsole({ args: ['--kubeconfig', kubeconfig], dataDir: join(dir, 'data') });
})();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(console_.consoleUrl);
  await page.evaluate("window.location.hash = '#/resources'");
  const kind = page.getByTestId(`kind-widgets.v1.${GROUP}`);
  await kind.waitFor({ timeout: 120_000 });
  const clickedAt = Date.now();
  await kind.click();
  await page.getByTestId(`row-default/${objectName(0)}`).waitFor({ timeout: 120_000 });
  print('first_rows_ms', Date.now() - clickedAt, 'ms', '<= 1000');
  const count = page.getByTestId('object-count');
  const allListed = `${OBJECTS.toLocaleString('en-US')} objects`;
  for (const deadline = Date.now() + 600_000; (await count.textContent()) !== allListed; ) {
    if (Date.now() > deadline) throw new Error(`the table never listed every object (it shows "${await count.textContent()}")`);
    await new Promise((r) => setTimeout(r, 100));
  }
  print('all_rows_ms', Date.now() - clickedAt, 'ms');
  await screenshot(page, 'resources-bench');

  // Every change of a visible row's Model cell, as the screen shows it: [row, seq, Date.now()].
  await page.evaluate(`(() => {
    const seen = (window.__seen = []);
    const last = new Map();
    const scan = () => {
      const now = Date.now();
      for (const row of document.querySelectorAll('[data-testid^="row-default/w-"]')) {
        const cell = [...row.children].find((c) => /^m-\\d+$/.test(c.textContent || ''));
        const m = cell && /^m-(\\d+)$/.exec(cell.textContent);
        if (!m) continue;
        const key = row.getAttribute('data-testid');
        const seq = Number(m[1]);
        if ((last.get(key) ?? -1) < seq) { last.set(key, seq); seen.push([key.slice(4), seq, now]); }
      }
    };
    new MutationObserver(scan).observe(document.querySelector('.browser-scroll'), { subtree: true, childList: true, characterData: true });
  })()`);

  const writes: Array<{ key: string; seq: number; sentAt: number; ackAt: number }> = [];
  let seq = 0;
  let inFlight = 0;
  let skipped = 0;
  let failed = 0;
  const started = Date.now();
  const total = RATE * SECONDS;
  while (seq < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
    while (seq < due) {
      seq++;
      if (inFlight >= 128) {
        skipped++;
        continue;
      }
      const visible = seq % 2 === 0;
      const i = visible ? seq % VISIBLE : VISIBLE + Math.floor(Math.random() * (OBJECTS - VISIBLE));
      const mine = seq;
      const sentAt = Date.now();
      inFlight++;
      void client
        .request('PATCH', `${widgets}/${objectName(i)}`, { spec: { model: `m-${mine}` } }, 'application/merge-patch+json')
        .then((answer) => {
          if (answer.status !== 200) failed++;
          else if (visible) writes.push({ key: `default/${objectName(i)}`, seq: mine, sentAt, ackAt: Date.now() });
        })
        .catch(() => failed++)
        .finally(() => inFlight--);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 3_000));
  const seen = (await page.evaluate('window.__seen')) as Array<[string, number, number]>;
  const byRow = new Map<string, Array<[number, number]>>();
  for (const [key, s, at] of seen) byRow.set(key, [...(byRow.get(key) ?? []), [s, at]]);
  const latencies: number[] = [];
  const fromSent: number[] = [];
  let missed = 0;
  for (const w of writes) {
    const shown = (byRow.get(w.key) ?? []).find(([s]) => s >= w.seq);
    if (!shown) missed++;
    else {
      latencies.push(Math.max(0, shown[1] - w.ackAt));
      fromSent.push(shown[1] - w.sentAt);
      if (process.env.BENCH_DEBUG) console.log('#', w.key, w.seq, 'ack', w.ackAt - w.sentAt, 'shown', shown[1] - w.sentAt, 'as', shown[0]);
    }
  }
  print('changes_per_s', (total - skipped - failed) / elapsed, 'changes/s');
  print('event_to_screen_p50_ms', percentile(latencies, 50), 'ms');
  print('event_to_screen_p95_ms', percentile(latencies, 95), 'ms', '<= 250');
  print('write_to_screen_p95_ms', percentile(fromSent, 95), 'ms');
  print('event_to_screen_missed', missed, 'changes');
} finally {
  await browser.close();
  await console_.stop();
  client.close();
  await fleet.stop();
  rmSync(dir, { recursive: true, force: true });
}
