// The standalone scripted-server command prints its base URL, serves, and stops cleanly on SIGTERM.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

const cliModule = path.resolve(__dirname, '../../../src/scripted/cli.js');
// The command as the main CLI runs it, in a process of its own so real signals can stop it.
const runner = `require(${JSON.stringify(cliModule)}).runScriptedServerCommand(process.argv.slice(1)).then((code) => process.exit(code))`;
const script = path.resolve(__dirname, '../../../../test/fixtures/scripts/fix-add.json');

describe('scripted-server command', () => {
  it('prints the base URL, answers requests and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['-e', runner, '--', '--script', script, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (data: Buffer) => {
        out += data.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
    assert.deepEqual(models.data.map((m) => m.id), ['scripted']);
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exitCode, 0);
  });

  it('exits 2 with a message when the script is missing or invalid', () => {
    const noScript = spawnSync(process.execPath, ['-e', runner, '--'], { encoding: 'utf8' });
    assert.equal(noScript.status, 2);
    assert.match(noScript.stderr, /--script FILE is required/);
    const invalid = path.resolve(path.dirname(script), 'invalid-fault.json');
    const bad = spawnSync(process.execPath, ['-e', runner, '--', '--script', invalid], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /fault\.status must be an HTTP error status/);
  });
});
