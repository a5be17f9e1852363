// Secrets: the environment commands get, the values masked everywhere, where those values come from.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SECRET_MARKER_PATTERN, SecretMasker, secretsInFile } from '../../../src/agent/policy/secretMasker';
import { looksLikeCredential, scrubEnvironment } from '../../../src/tools/process/environment';

describe('scrubbed environment', () => {
  const source = {
    PATH: '/usr/bin', HOME: '/home/me', LANG: 'C.UTF-8', TOKENIZER_PATH: '/models/tok', KEYBOARD_KEY: 'us',
    OPENAI_API_KEY: 'sk-agent-key-000000', PATCHPILOT_API_KEY: 'pp-agent-key-111111', GITHUB_TOKEN: 'ghp_abcdefghijklmnop',
    MY_SERVICE_TOKEN: 'svc-token-222222', DB_PASSWORD: 'hunter2hunter2', AWS_SECRET_ACCESS_KEY: 'aws/secret/333333',
    DATABASE_URL: 'postgres://app:pw-444444@db/app', STRIPE_KEY: 'sk_live_5555555555555555', SSH_AUTH_SOCK: '/run/agent.sock',
  };

  it('drops the agent\'s keys and every credential-looking variable, keeps the rest', () => {
    const scrubbed = scrubEnvironment(source);
    assert.deepEqual(Object.keys(scrubbed.env).sort(), ['HOME', 'KEYBOARD_KEY', 'LANG', 'PATH', 'TOKENIZER_PATH']);
    assert.deepEqual(scrubbed.dropped, ['AWS_SECRET_ACCESS_KEY', 'DATABASE_URL', 'DB_PASSWORD', 'GITHUB_TOKEN', 'MY_SERVICE_TOKEN',
      'OPENAI_API_KEY', 'PATCHPILOT_API_KEY', 'SSH_AUTH_SOCK', 'STRIPE_KEY']);
  });

  it('passes a variable through by name, never the agent\'s own key, and still masks a passed value', () => {
    const scrubbed = scrubEnvironment(source, ['MY_SERVICE_TOKEN', 'OPENAI_API_KEY']);
    assert.equal(scrubbed.env.MY_SERVICE_TOKEN, 'svc-token-222222');
    assert.equal(scrubbed.env.OPENAI_API_KEY, undefined);
    assert.ok(scrubbed.secretValues.some((s) => s.name === 'MY_SERVICE_TOKEN'));
  });

  it('recognises credentials by name parts and by value shape', () => {
    assert.ok(looksLikeCredential('SENTRY_DSN', 'https://x@sentry.io/1'));
    assert.ok(looksLikeCredential('SOME_URL', 'redis://user:secretpass@host:6379'));
    assert.ok(looksLikeCredential('MAPS_KEY', 'AIzaSyA1234567890abcdefg'));
    assert.ok(!looksLikeCredential('PASSENGER_COUNT', '3'));
    assert.ok(!looksLikeCredential('NODE_ENV', 'test'));
  });
});

describe('secret masker', () => {
  it('replaces every known value with a marker naming its source, longest first', () => {
    const masker = new SecretMasker([{ name: 'A', value: 'abcdefgh' }, { name: 'B', value: 'abcdefgh-longer' }, { name: 'short', value: 'abc' }]);
    assert.equal(masker.mask('x abcdefgh-longer y abcdefgh z abc'),
      'x [secret B hidden by Patchpilot] y [secret A hidden by Patchpilot] z abc');
    assert.ok(SECRET_MARKER_PATTERN.test(masker.mask('abcdefgh')));
  });

  it('ignores values that are not secrets (true, localhost, numbers) and short ones', () => {
    const masker = new SecretMasker([{ name: 'X', value: 'production' }, { name: 'Y', value: '12345678' }, { name: 'Z', value: 'http://localhost:3000' }]);
    assert.equal(masker.size, 0);
  });

  it('catches a secret split across chunks of a stream, and holds back nothing more than needed', () => {
    const masker = new SecretMasker([{ name: 'T', value: 'tok-9876543210' }]);
    const stream = masker.stream();
    const shown = [stream.push('line 1\nthe token is tok-98'), stream.push('76543210 ok\nplain '), stream.push('text\n'), stream.end()];
    assert.equal(shown.join(''), 'line 1\nthe token is [secret T hidden by Patchpilot] ok\nplain text\n');
    assert.equal(shown[0], 'line 1\nthe token is ');
    assert.doesNotMatch(shown.join(''), /9876/);
  });

  it('reads values out of protected files: .env assignments, .npmrc tokens, .netrc passwords, key bodies', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-secret-files-'));
    try {
      fs.writeFileSync(path.join(dir, '.env'), '# comment\nexport API_TOKEN="quoted-value-123#x"\nDEBUG=true\nDB_URL=postgres://u:pw-99999999@h/db # prod\n');
      fs.writeFileSync(path.join(dir, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_abcdefghijkl\n');
      fs.writeFileSync(path.join(dir, '.netrc'), 'machine api.example.com login me password netrc-pass-777\n');
      fs.writeFileSync(path.join(dir, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n');
      const values = ['.env', '.npmrc', '.netrc', 'id_rsa'].flatMap((name) => secretsInFile(path.join(dir, name), name)).map((s) => s.value);
      for (const expected of ['quoted-value-123#x', 'postgres://u:pw-99999999@h/db', 'npm_abcdefghijkl', 'netrc-pass-777', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ']) {
        assert.ok(values.includes(expected), `${expected} in ${JSON.stringify(values)}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
