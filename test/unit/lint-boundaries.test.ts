// The ESLint boundary rule (issue #12): core domains are entered through index.ts, views stay apart.
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { RuleTester } from 'eslint';
// @ts-expect-error -- a plain ESM rule module without types
import { boundaries } from '../../eslint-rules/boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;

const file = (p: string) => join(process.cwd(), p);
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

tester.run('flightdeck/boundaries', boundaries, {
  valid: [
    { filename: file('electron/core/rollouts/plan-kit.ts'), code: "import { redactObject } from '../secrets/index.js';" },
    { filename: file('electron/core/rollouts/plan-kit.ts'), code: "import { x } from './workload-reader.js';" },
    { filename: file('electron/core/clusters/topology/object-details.ts'), code: "import { c } from '../context-caches.js';" },
    { filename: file('electron/core/app.ts'), code: "import { createActionRoad } from './actions/index.js';" },
    { filename: file('renderer/views/gpu/GpuView.tsx'), code: "import { Banner } from '../../components/Banner';" },
    {
      filename: file('electron/core/app.ts'),
      code: "import { openAuditLog } from './audit/audit-log.js';",
      options: [{ allow: { 'electron/core/app.ts': ['electron/core/audit/audit-log.js'] } }],
    },
  ],
  invalid: [
    { filename: file('electron/core/rollouts/plan-kit.ts'), code: "import { redactObject } from '../secrets/redactor.js';", errors: [{ messageId: 'domain' }] },
    { filename: file('electron/core/clusters/topology/object-details.ts'), code: "import { r } from '../../secrets/redactor.js';", errors: [{ messageId: 'domain' }] },
    { filename: file('electron/core/app.ts'), code: "export { openAuditLog } from './audit/audit-log.js';", errors: [{ messageId: 'domain' }] },
    { filename: file('renderer/views/gpu/GpuView.tsx'), code: "import { RangePicker } from '../metrics/RangePicker';", errors: [{ messageId: 'view' }] },
  ],
});
