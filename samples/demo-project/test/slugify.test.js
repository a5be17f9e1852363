'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { slugify } = require('../src/slugify');

test('joins lower-cased words with dashes', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});

test('drops punctuation and collapses whitespace', () => {
  assert.equal(slugify('  Hello,  World! '), 'hello-world');
});
