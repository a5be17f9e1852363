// Entry point VS Code loads into the extension host (extensionTestsPath): runs this scenario's specs with mocha.
import Mocha from 'mocha';
import * as path from 'node:path';
import { driver } from './driver';
import { settle } from './helpers';

export async function run(): Promise<void> {
  const config = await driver.config();
  const mocha = new Mocha({ ui: 'bdd', timeout: 90000, color: false, grep: config.grep ?? undefined,
    rootHooks: { afterEach: settle } });
  for (const spec of config.specs) mocha.addFile(path.join(__dirname, `${spec}.test.js`));
  const stats = await new Promise<{ passes: number; failures: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }));
  });
  await driver.report({ passed: stats.passes, failed: stats.failures });
  if (stats.failures > 0) throw new Error(`${stats.failures} in-VS-Code test(s) failed`);
}
