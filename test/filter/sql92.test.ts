import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSql92, Sql92SyntaxError } from '../../src/engine/filter/sql92/index.js';

// RocketMQ's SQL92 selector semantics (filter module of 4.9): three-valued logic, Java number types,
// property strings converted to the literal's type, and the compile-time refusals.

const cases: [string, Record<string, string>, boolean][] = [
  ['a > 5', { a: '7' }, true],
  ['a > 5', { a: '3' }, false],
  ['a > 5', {}, false], // unknown: no match
  ['a > 5', { a: '7.5' }, false], // "7.5" is not an Integer: evaluation error, no match
  ['a > 5.5', { a: '7.5' }, true],
  ['a >= 5 AND a <= 5', { a: '5' }, true],
  ['a > 3000000000', { a: '3000000001' }, true], // Long literal
  ['a > 5', { a: '3000000001' }, false], // does not fit the Integer literal's type
  ['a > -5', { a: '-4' }, true],
  ['a > b', { a: '2', b: '1.5' }, true], // two properties compare as doubles
  ['a = 5', { a: '5' }, true],
  ['a = 5', { a: '05' }, true],
  ["a = '5'", { a: '5' }, true],
  ["a = '05'", { a: '5' }, false],
  ['a <> 5', { a: '6' }, true],
  ['a <> 5', {}, false],
  ['a IS NULL', {}, true],
  ['a IS NULL', { a: '' }, false],
  ['a IS NOT NULL', { a: 'x' }, true],
  ["a IN ('x', 'y')", { a: 'y' }, true],
  ["a IN ('x', 'y')", {}, false],
  ["a NOT IN ('x', 'y')", { a: 'y' }, false],
  ["a NOT IN ('x', 'y')", { a: 'z' }, true],
  ['a BETWEEN 1 AND 3', { a: '3' }, true],
  ['a BETWEEN 1 AND 3', { a: '4' }, false],
  ['a NOT BETWEEN 1 AND 3', { a: '4' }, true],
  ["TAGS = 'TagA' AND num >= 10", { TAGS: 'TagA', num: '10' }, true],
  ["TAGS = 'TagA' AND num >= 10", { TAGS: 'TagB', num: '10' }, false],
  ['x > 1 OR y > 1', { y: '2' }, true], // unknown OR true = true
  ['NOT (x > 1) OR y > 1', { y: '0' }, false], // unknown OR false = unknown
  ['NOT (a > 5)', { a: '1' }, true],
  ["s = 'it''s'", { s: "it's" }, true],
  ['flag', { flag: 'true' }, false], // a property is never a Boolean
  ['TRUE', {}, true],
  ['FALSE OR a = 1', { a: '1' }, true],
  ['a = 1 -- trailing comment\n', { a: '1' }, true],
  ['/* c */ A = 1', { A: '1' }, true],
  ['a = 1', { A: '1' }, false], // property names are case-sensitive
  ['a = 1 and b = 2', { a: '1', b: '2' }, true], // keywords are not
];

for (const [expr, props, want] of cases) {
  test(`${JSON.stringify(expr)} on ${JSON.stringify(props)} is ${want}`, () => {
    assert.equal(compileSql92(expr).matches(props), want);
  });
}

test('selectors RocketMQ refuses at compile time are refused with a message naming the problem', () => {
  const bad: [string, RegExp][] = [
    ["a > 'x'", /only numbers/],
    ['a = NULL', /IS NULL/],
    ['5', /not a condition/],
    ['a >', /column 4/],
    ["5 IN ('a')", /IN needs a property/],
    ['a IN (1)', /string literal/],
    ['a BETWEEN 3 AND 1', /lower bound/],
    ['a > 0.0', /less than 4\.9E-324/],
    ['NOT a > 5', /condition cannot be compared/],
    ['a != 5', /unexpected character '!'/],
    ["a = 'open", /unterminated string/],
    ['a = 99999999999999999999', /does not fit a long/],
    ['a IS 5', /NULL or NOT NULL/],
    ['(a = 1', /'\)'/],
    ['', /empty/],
  ];
  for (const [expr, re] of bad) {
    assert.throws(
      () => compileSql92(expr),
      (e: unknown) => e instanceof Sql92SyntaxError && re.test(e.message),
      expr,
    );
  }
});
