// A search text written with escapes (`\n`, `\"`, `\$`, `\\`) that only matches once they are read as characters
// (issue "Honest verification", item 7.2). Cases in test/fixtures/edits/escapes/cases.json, in the call styles of
// several agents' str_replace tools; the old/new strings are exactly what such a model sends.
import { strict as assert } from 'node:assert';
import { applyEditText, applySearchReplacePairs } from '../../../src/tools/edits';
import { replacementEscapedLikeSearch, unescapeModelText } from '../../../src/tools/edits/escapes';
import { fixture, lookupOf } from './fixtures';

interface EscapeCase {
  name: string;
  file: string;
  old: string;
  new: string;
  replaceAll?: boolean;
  expected?: string;
  reject?: string;
  errorMentions?: string[];
}

const cases = JSON.parse(fixture('escapes/cases.json')) as EscapeCase[];

describe('escaped search texts', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const original = fixture(`escapes/${testCase.file}`);
      const result = applySearchReplacePairs(original, [{ search: testCase.old, replace: testCase.new, replaceAll: testCase.replaceAll }], { path: testCase.file });
      if (testCase.reject !== undefined) {
        assert.ok(!result.ok, 'expected a refusal');
        assert.equal(result.error.code, testCase.reject);
        for (const part of testCase.errorMentions ?? []) assert.ok(result.error.message.includes(part), `message lacks "${part}": ${result.error.message}`);
        assert.equal('content' in result, false);
        return;
      }
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      assert.equal(result.content, testCase.expected);
    });
  }

  it('records the unescaped strategy, and only when the raw text did not match', () => {
    const escaped = applySearchReplacePairs('say("hi")\n', [{ search: 'say(\\"hi\\")', replace: 'say(\\"bye\\")' }]);
    assert.ok(escaped.ok);
    assert.deepEqual(escaped.strategies, ['unescaped', 'exact']);
    const raw = applySearchReplacePairs('say(\\"hi\\")\n', [{ search: 'say(\\"hi\\")', replace: 'x' }]);
    assert.ok(raw.ok);
    assert.deepEqual(raw.strategies, ['exact']);
    assert.equal(raw.content, 'x\n');
  });

  it('never lets a start-line hint pick among several unescaped matches', () => {
    const content = 'print("done")\nwork()\nprint("done")\n';
    const result = applySearchReplacePairs(content, [{ search: 'print(\\"done\\")', replace: 'x' }], { startLineHint: 3 });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'ambiguous_match');
  });

  it('leaves SEARCH/REPLACE blocks alone: their searches are whole lines written as plain text', () => {
    const block = '<<<<<<< SEARCH\nsay(\\"hi\\")\n=======\nsay(\\"bye\\")\n>>>>>>> REPLACE\n';
    const outcome = applyEditText(block, lookupOf({ 'a.js': 'say("hi")\n' }), { file: 'a.js' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'no_match');
  });
});

describe('unescapeModelText and the replacement rule', () => {
  it('reads escapes left to right, so an escaped backslash before n stays two characters', () => {
    assert.equal(unescapeModelText('a\\nb'), 'a\nb');
    assert.equal(unescapeModelText('a\\\\nb'), 'a\\nb');
    assert.equal(unescapeModelText('\\"q\\" \\\'s\\\' \\`t\\` \\$HOME \\t'), '"q" \'s\' `t` $HOME \t');
    assert.equal(unescapeModelText('keep \\d and \\w'), 'keep \\d and \\w');
  });

  it('unescapes a replacement only when it is escaped like its search', () => {
    assert.equal(replacementEscapedLikeSearch('a\\nb', 'a\\nc'), true);
    // A regex backslash: an escaped text would have written \\d.
    assert.equal(replacementEscapedLikeSearch('x = \\"1\\"', 'x = /\\d+/'), false);
    // Real line breaks where the search spelled them \n: the replacement was written plainly.
    assert.equal(replacementEscapedLikeSearch('f()\\ng()', 'f()\nprint("a\\"b")'), false);
    // Nothing to unescape.
    assert.equal(replacementEscapedLikeSearch('a\\nb', 'plain'), false);
  });
});
