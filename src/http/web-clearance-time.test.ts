/**
 * The Clearance time page in a real browser against the real server, over released declarations
 * with known stage times (testing/release-times.ts). A supervisor opens it from the navigation,
 * chooses the window, the grouping and a period to compare with (kept in the address, so a reload
 * shows the same), reads the stage chart (a bundle of its own), the stage adding the most time, the
 * table, how the times spread (a histogram per stage, for all declarations or a group chosen with the
 * keyboard, with its table) and the comparison; a trader sees only its own declarations' times.
 * Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { Role } from '../governance/roles.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { createUserToken, otherTrader, storageTargets } from '../testing/harness.ts';
import { seedReleaseTimes } from '../testing/release-times.ts';

const chartBundle = /^\/assets\/StageChart-[A-Za-z0-9_-]+\.js$/;
const histogramBundle = /^\/assets\/HistogramChart-[A-Za-z0-9_-]+\.js$/;

/** Whether the page has loaded a script whose path matches `bundle`. */
const loadedBundle = async (page: Page, bundle: RegExp) =>
  (
    await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname))
  ).some((u) => bundle.test(u));

for (const target of storageTargets()) {
  describe(`clearance time in Chromium (${target})`, () => {
    const suite = browserSuite(target);

    before(async () => {
      const traderB = await createUserToken(suite.ctx, {
        username: 'trader-b',
        role: Role.Trader,
        partyId: otherTrader,
      });
      await seedReleaseTimes(suite.ctx, suite.server, suite.tokens.trader, traderB);
    });

    const nav = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
    const rows = async (page: Page, table: string | RegExp) =>
      page
        .getByRole('table', { name: table })
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
        );
    /** The rows of a spread's table that hold a declaration. */
    const spreadRows = async (page: Page, table: RegExp) =>
      (await rows(page, table)).filter((r) => r[1] !== '0');
    const show = async (page: Page, fields: Record<string, string>) => {
      const filters = page.getByRole('form', { name: 'Filters' });
      for (const [label, value] of Object.entries(fields)) {
        const field = filters.getByLabel(label);
        if (label === 'Group by') await field.selectOption(value);
        else await field.fill(value);
      }
      await filters.getByRole('button', { name: 'Show' }).click();
    };

    test('a supervisor reads the stages per office, the biggest one, and the change against February', async () => {
      const page = await suite.at('supervisor');
      await nav(page).getByRole('button', { name: 'Clearance time' }).click();
      await page.getByRole('heading', { name: 'Clearance time', level: 1 }).waitFor();
      await show(page, {
        'Released from': '2026-03-01',
        'Released to': '2026-03-31',
        'Group by': 'office',
        'Compare from': '2026-02-01',
        'Compare to': '2026-02-28',
      });
      await page.waitForURL(
        (url) =>
          url.pathname === '/clearance' &&
          url.search ===
            '?from=2026-03-01&to=2026-03-31&by=office&compareFrom=2026-02-01&compareTo=2026-02-28',
      );
      await page
        .getByRole('status')
        .getByText(
          '6 declarations released from 1 Mar 2026 to 31 Mar 2026: median 6 h 25 min, 90% within 1 d 14 h. Within 1 h: 50%; Within 1 d: 67%.',
        )
        .waitFor();
      await page
        .getByRole('img', { name: /^Mean time of each stage from arrival to release, per group/ })
        .locator('canvas')
        .waitFor();
      assert.ok(await loadedBundle(page, chartBundle), 'the chart is a bundle of its own');
      const biggest = await page
        .getByRole('list', { name: 'Stage adding the most time' })
        .locator('li')
        .allTextContents();
      assert.equal(biggest.length, 2);
      assert.match(biggest[0] ?? '', /^030 .*: Assessment to release, 93% of the total time$/);
      const stages = await rows(page, 'Stages by group');
      assert.deepEqual(
        stages
          .find((r) => /^030 /.test(r[0] ?? '') && r[1] === 'Total (arrival, or lodging, to release)')
          ?.slice(2),
        ['4', '6 h 55 min', '45 min', '18 h 27 min', '75%', '75%'],
      );
      assert.ok(
        stages.some((r) => /^020 /.test(r[0] ?? '')),
        'the other office is there too',
      );
      const comparison = await rows(
        page,
        /^Released 1 Mar 2026 to 31 Mar 2026 against 1 Feb 2026 to 28 Feb 2026/,
      );
      assert.deepEqual(
        comparison.find((r) => r[0] === 'Total (arrival, or lodging, to release)'),
        ['Total (arrival, or lodging, to release)', '3 h 20 min', '6 h 25 min', '+3 h 5 min (+93%)'],
      );

      // how the times spread: all declarations' total first (10, 40, 50, 720, 1560 and 3000 minutes)
      const spread = page.getByRole('region', { name: 'How the times spread' });
      const allTotal =
        /^All declarations, Total \(arrival, or lodging, to release\): 6 declarations by time taken$/;
      // every bucket is a row, the empty ones too, shortest first (their words: web-clearance-helpers.test.ts)
      const buckets = (await rows(page, allTotal)).map((r) => r[0]);
      assert.equal(buckets.length, 11);
      assert.deepEqual([buckets[0], buckets[10]], ['under 15 min', 'a week or more']);
      assert.deepEqual(await spreadRows(page, allTotal), [
        ['under 15 min', '1', '17%'],
        ['30 min–1 h', '2', '33%'],
        ['8 h–1 day', '1', '17%'],
        ['1–2 days', '1', '17%'],
        ['2–3 days', '1', '17%'],
      ]);
      await spread
        .getByRole('img', {
          name: /^Declarations by time taken: All declarations, Total .*, released 1 Mar 2026/,
        })
        .locator('canvas')
        .waitFor();
      assert.ok(await loadedBundle(page, histogramBundle), 'the histogram is a bundle of its own');
      // office 030 and its arrival to lodging, chosen by typing on the keyboard: lodged 30 minutes
      // after, 60 minutes after and 30 minutes before the goods arrived
      await spread.getByLabel('Group').focus();
      await page.keyboard.type('030');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Arrival');
      assert.equal(await spread.getByLabel('Stage').inputValue(), 'arrivalToLodging');
      const office030 = /^030 .*, Arrival to lodging: 3 declarations by time taken$/;
      await page.getByRole('table', { name: office030 }).waitFor();
      assert.deepEqual(await spreadRows(page, office030), [
        ['before arrival', '1', '33%'],
        ['30 min–1 h', '1', '33%'],
        ['1–2 h', '1', '33%'],
      ]);
      await spread
        .getByRole('img', { name: /^Declarations by time taken: 030 .*, Arrival to lodging, released/ })
        .locator('canvas')
        .waitFor();

      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'supervisor-clearance-time');

      // the address holds the filters: a reload shows the same, the form filled from it
      await page.reload();
      await page.getByRole('table', { name: 'Stages by group' }).waitFor();
      const filters = page.getByRole('form', { name: 'Filters' });
      assert.equal(await filters.getByLabel('Group by').inputValue(), 'office');
      assert.equal(await filters.getByLabel('Compare from').inputValue(), '2026-02-01');

      // targets typed with spaces go to the address without them; Back shows the study before
      await show(page, { 'Targets (minutes)': '30, 120' });
      await page.waitForURL((url) => new URL(url).searchParams.get('targets') === '30,120');
      await page
        .getByRole('status')
        .getByText(/: median 6 h 25 min, 90% within 1 d 14 h\. Within 30 min: 17%; Within 2 h: 50%\.$/)
        .waitFor();
      await page.goBack();
      await page
        .getByRole('status')
        .getByText(/\. Within 1 h: 50%; Within 1 d: 67%\.$/)
        .waitFor();
      assert.equal(await filters.getByLabel('Targets (minutes)').inputValue(), '');
      assert.equal(await filters.getByLabel('Released from').inputValue(), '2026-03-01');

      // a target that is not one is refused in words
      await show(page, { 'Targets (minutes)': '0' });
      await page
        .getByRole('alert')
        .getByText(/targets/)
        .waitFor();
      await page.close();
    });

    test('a trader sees the times of its own declarations only', async () => {
      const page = await suite.at('trader');
      await nav(page).getByRole('button', { name: 'Clearance time' }).click();
      await page.getByRole('heading', { name: 'Clearance time', level: 1 }).waitFor();
      await show(page, {
        'Released from': '2026-03-01',
        'Released to': '2026-03-31',
        'Group by': 'lane',
      });
      await page
        .getByRole('status')
        .getByText(
          '4 declarations released from 1 Mar 2026 to 31 Mar 2026: median 45 min, 90% within 18 h 27 min. Within 1 h: 75%; Within 1 d: 75%.',
        )
        .waitFor();
      const stages = await rows(page, 'Stages by group');
      assert.deepEqual(
        [...new Set(stages.map((r) => r[0]))],
        ['Green', 'Yellow'],
        'no red lane: those are the other trader’s',
      );
      assert.deepEqual(
        stages.find((r) => r[0] === 'Green' && r[1] === 'Total (arrival, or lodging, to release)')?.slice(2),
        ['3', '33 min', '40 min', '48 min', '100%', '100%'],
      );
      // the spread of all its declarations' totals (50, 40, 1560 and 10 minutes): not the other trader's
      assert.deepEqual(await spreadRows(page, /^All declarations, Total .*: 4 declarations by time taken$/), [
        ['under 15 min', '1', '25%'],
        ['30 min–1 h', '2', '50%'],
        ['1–2 days', '1', '25%'],
      ]);
      await screenshot(page, 'trader-clearance-time');
      await page.close();
    });
  });
}
