/**
 * What the web application's code pickers (web/src/codeText.ts) do with text and dates, without a
 * browser: codes typed in lower case are upper-cased, words stay as typed, edits keep the case of
 * the untouched text, and a form date that is not a real day gives way to the person's today.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  couldBeCode,
  isCalendarDay,
  localDay,
  searchDay,
  shown,
  typedAfterEdit,
} from '../../web/src/codeText.ts';

describe("a code picker's text", () => {
  test('a code of the list typed in lower case is shown upper-cased; words are shown as typed', () => {
    assert.equal(shown('countries', 'cn'), 'CN');
    assert.equal(shown('countries', 'china'), 'china');
    assert.equal(shown('countries', 'c n'), 'c n', 'a space is no code');
    assert.equal(shown('currencies', 'usd'), 'USD');
    assert.equal(shown('units', 'h87'), 'H87');
    assert.equal(shown('package-types', '1a'), '1A');
    assert.equal(shown('hs', 'glass'), 'glass');
    assert.equal(shown('hs', '851713'), '851713');
    assert.equal(shown('offices', 'gb000060'), 'GB000060');
    assert.equal(shown('offices', 'seoul'), 'seoul');
    assert.equal(shown('countries', 'ß'), 'ß', 'a character that upper-cases into two is no code');
    assert.equal(couldBeCode('transport-modes', '1'), true);
    assert.equal(couldBeCode('transport-modes', 'road'), false);
  });

  test('an edit keeps the case in which the untouched text was typed', () => {
    // "chi" typed one letter at a time into a country field: "C", "CH", then "chi"
    let typed = '';
    let field = '';
    for (const letter of 'china') {
      typed = typedAfterEdit(typed, field, field + letter);
      field = shown('countries', typed);
    }
    assert.equal(field, 'china');
    // a letter deleted from "china" leaves words; back to two letters it is a code again
    assert.equal(typedAfterEdit('china', 'china', 'chna'), 'chna');
    assert.equal(shown('countries', typedAfterEdit('chi', 'chi', 'ch')), 'CH');
    // typed in the middle of a code shown upper-cased
    assert.equal(typedAfterEdit('ud', 'UD', 'UsD'), 'usd');
    // text replaced whole, or shown from elsewhere (a pick): the field's text is taken as typed
    assert.equal(typedAfterEdit('china', 'CN', 'CNY'), 'CNY');
  });
});

describe("a code picker's day", () => {
  test('real calendar days only', () => {
    assert.equal(isCalendarDay('2026-02-28'), true);
    assert.equal(isCalendarDay('2024-02-29'), true);
    assert.equal(isCalendarDay('2026-02-30'), false);
    assert.equal(isCalendarDay('2026-13-01'), false);
    assert.equal(isCalendarDay('2026-2-3'), false);
    assert.equal(isCalendarDay(''), false);
  });

  test("the person's own day, and the form's date only when it is a real day the API accepts", () => {
    // 23:30 on 31 December where the person is, whatever the UTC day is then
    const late = new Date(2026, 11, 31, 23, 30);
    assert.equal(localDay(late), '2026-12-31');
    assert.equal(localDay(new Date(2026, 0, 1, 0, 15)), '2026-01-01');
    assert.equal(searchDay('2021-06-01', late), '2021-06-01');
    assert.equal(searchDay('2026-02-30', late), '2026-12-31');
    assert.equal(searchDay('', late), '2026-12-31');
    assert.equal(searchDay('0500-01-01', late), '2026-12-31');
  });
});
