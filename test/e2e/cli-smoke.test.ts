// The built CLI starts and reports bad usage with exit code 2.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

describe('cli', () => {
  it('exits 2 with a usage message when no command is given', () => {
    const result = spawnSync(process.execPath, [cli], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no command given/);
  });
});
