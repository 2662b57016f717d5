/**
 * Trade monitoring in a real browser against the real server: fifteen months of imports turn in
 * March 2026 (src/testing/monitoring.ts) and a monitoring run finds it. A risk analyst opens Trade
 * monitoring from the navigation, reads a series' history, forecast and bands, picks another
 * series (kept in the address), acknowledges one alert with the keyboard, dismisses another with a
 * reason, and drafts a profile from the surge, which opens the new draft. A supervisor reads the
 * same page without the analyst's buttons; a trader has no such page. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runMonitoring, RunTrigger } from '../monitoring/run.ts';
import { defaultMonitoringSettings } from '../monitoring/settings.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { storageTargets } from '../testing/harness.ts';
import { lodgeMonitoringHistory } from '../testing/monitoring.ts';

for (const target of storageTargets()) {
  describe(`trade monitoring in Chromium (${target})`, () => {
    const suite = browserSuite(target, { CLEARWAY_RANDOM_SHARE: '0' });
    let runId = 0;

    before(async () => {
      await lodgeMonitoringHistory(suite.server, suite.tokens.trader);
      const done = await runMonitoring(suite.ctx.db, {
        unit: 'month',
        today: '2026-04-02',
        trigger: RunTrigger.Cli,
        actor: 'cli:test',
        settings: defaultMonitoringSettings,
      });
      assert.ok(done.ok && done.value);
      runId = done.value.id;
    });

    const nav = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
    const alerts = (page: Page) =>
      page.getByRole('list', { name: 'Alerts, largest first' }).locator(':scope > li');

    test('a risk analyst reads a forecast, works through the alerts and drafts a profile from a surge', async () => {
      const page = await suite.at('risk-analyst');
      await nav(page).getByRole('button', { name: 'Trade monitoring' }).click();
      await page.getByRole('heading', { name: 'Trade monitoring', level: 1 }).waitFor();
      await page.getByRole('status').getByText(`Latest month run ${runId}:`, { exact: false }).waitFor();
      await page.getByRole('heading', { name: 'Declarations of All imports per month' }).waitFor();
      await page
        .getByRole('img', { name: /^Declarations of All imports per month: history, forecast/ })
        .locator('canvas')
        .waitFor();
      const forecast = page.getByRole('table', { name: 'Forecast of the next 6 months' });
      assert.equal(await forecast.locator('tbody tr').count(), 6);
      assert.equal(await alerts(page).count(), 11);
      // ranked by the value at stake: every figure no larger than the one before
      const sizes = await alerts(page)
        .locator('strong')
        .allTextContents()
        .then((t) => t.map((s) => Number(s.replace(/[^\d.]/g, ''))));
      assert.deepEqual(
        sizes,
        [...sizes].sort((a, b) => b - a),
      );
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'risk-analyst-trade-monitoring');

      // another series: the value of chapter 85, kept in the address
      const picker = page.getByRole('form', { name: 'Series' });
      await picker.getByLabel('Measure').selectOption('value');
      await picker.getByLabel('Dimension').selectOption('chapter');
      await picker.getByLabel('Series').selectOption('chapter:85');
      await picker.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(
        (url) => url.searchParams.get('key') === 'chapter:85' && url.searchParams.get('measure') === 'value',
      );
      await page.getByRole('heading', { name: /^Value of 85 .* per month$/ }).waitFor();
      await page.getByText('The latest month was 7,000.00 USD', { exact: false }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: /^Value of 85 .* per month$/ }).waitFor();

      // acknowledge the largest departure from the forecast with the keyboard alone
      const first = alerts(page).filter({ hasText: 'Outside forecast' }).first();
      const firstTitle = (await first.getByRole('heading').textContent()) ?? '';
      await first.getByRole('button', { name: 'Acknowledge', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type('a new supplier we know; watching');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: firstTitle }).waitFor({ state: 'detached' });
      assert.equal(await alerts(page).count(), 10);

      // dismiss the unit-value drop with a reason
      const drop = alerts(page).filter({ hasText: 'Unit value drop' });
      await drop.getByRole('button', { name: 'Dismiss' }).click();
      await drop.getByLabel('Reason').fill('a change of product grade, checked with the importer');
      await drop.getByRole('button', { name: 'Dismiss' }).click();
      await drop.waitFor({ state: 'detached' });
      await page
        .getByRole('group', { name: 'Alert state' })
        .getByRole('button', { name: 'Dismissed' })
        .click();
      await alerts(page).filter({ hasText: 'a change of product grade' }).waitFor();
      await page
        .getByRole('group', { name: 'Alert state' })
        .getByRole('button', { name: 'Acknowledged' })
        .click();
      await alerts(page).filter({ hasText: 'a new supplier we know; watching' }).waitFor();

      // the surge becomes a draft profile, opened on the Profiles page
      await page.getByRole('group', { name: 'Alert state' }).getByRole('button', { name: 'Open' }).click();
      const surge = alerts(page).filter({ hasText: 'Origin surge' });
      await surge.getByRole('button', { name: 'Draft a profile' }).click();
      await page.waitForURL((url) => url.pathname === '/profiles' && url.searchParams.has('open'));
      const drafted = await suite.server.request('GET', '/api/monitoring/alerts?kind=origin_surge', {
        token: suite.tokens.risk_analyst,
      });
      const alert = (drafted.body.alerts as { id: number; profileId: number }[])[0];
      assert.ok(alert?.profileId);
      await page.getByText(`MON-${alert.id}`).first().waitFor();
      await page.getByRole('button', { name: 'Submit' }).waitFor();
      await page.close();
    });

    test('a supervisor reads the alerts without acting; a trader has no such page', async () => {
      const page = await suite.at('supervisor', '/monitoring');
      await page.getByRole('heading', { name: 'Trade monitoring', level: 1 }).waitFor();
      await alerts(page).first().waitFor();
      assert.equal(await page.getByRole('button', { name: 'Acknowledge', exact: true }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Draft a profile' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /Run the monthly monitoring/ }).count(), 0);
      await page.close();
      const trader = await suite.at('trader');
      assert.equal(await nav(trader).getByRole('button', { name: 'Trade monitoring' }).count(), 0);
      await trader.close();
    });
  });
}
