/**
 * The risk analyst's pages in a real browser against the real server: rule profiles through the
 * four-eyes workflow, the model registry, risk performance and the price reference, each as a
 * person with a given role sees it. Screenshots go to test-output/web.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { importDeclarations } from '../declarations/importer.ts';
import { addDays } from '../declarations/validate/format.ts';
import { writeDemoCsv } from '../demo/clearway-csv-writer.ts';
import { Role } from '../governance/roles.ts';
import { createUser } from '../governance/users.ts';
import { parseProfile } from '../risk/profiles/profile.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';
import { activateModel, activeModel } from '../risk/registry.ts';
import { trainOnControls } from '../risk/retrain.ts';
import { assertContrast, assertEveryInputLabelled, browserSuite, screenshot } from '../testing/browser.ts';
import { storageTargets, testPassword } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`the risk analyst's pages in Chromium (${target})`, () => {
    // one declaration in ten selected at random, so random controls have something to compare with
    const suite = browserSuite(target, { CLEARWAY_RANDOM_SHARE: '0.1' });
    const models: number[] = [];

    before(async () => {
      const second = await suite.ctx.db.transaction((tx) =>
        createUser(tx, { username: 'second-analyst', password: testPassword, role: Role.RiskAnalyst }),
      );
      if (!second.ok) throw new Error(second.error.message);

      // half a year of generated declarations with their control history, up to yesterday
      const today = new Date().toISOString().slice(0, 10);
      const csv = new PassThrough();
      const written = writeDemoCsv(
        { count: 2000, seed: 11, from: addDays(today, -180), to: addDays(today, -1) },
        csv,
      ).then(() => csv.end());
      await importDeclarations(suite.ctx.db, suite.ctx.validation(), csv, {
        format: 'clearway',
        actor: 'test',
      });
      await written;
      const recomputed = await suite.server.request('POST', '/api/risk/prices/recompute', {
        token: suite.tokens.risk_analyst,
      });
      assert.equal(recomputed.status, 200);

      // an active profile, so performance has a profile's hit rate to show
      const parsed = parseProfile({
        code: 'UNDERVALUED',
        name: 'Unit value far below the reference',
        lane: 'yellow',
        weight: 40,
        reason: 'The unit value is less than half the reference for these goods and origin',
        validFrom: addDays(today, -365),
        conditions: [{ field: 'indicator.unitValueRatio', op: 'lt', value: 0.5 }],
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      const draft = await profilesRepository.create(suite.ctx.db, parsed.value, 'risk-analyst');
      await profilesRepository.submit(suite.ctx.db, draft.id, 'risk-analyst');
      await profilesRepository.decide(suite.ctx.db, draft.id, 'second-analyst', true, null);

      // two model versions trained on the recorded controls; the first scores, the second waits
      for (let i = 0; i < 2; i++) {
        const trained = await trainOnControls(suite.ctx.db, 'test');
        if (!trained.ok) throw new Error(`too few controls to train: ${trained.controls}`);
        models.push(trained.registered.id);
      }
      await activateModel(suite.ctx.db, models[0] ?? 0, 'test');
      suite.ctx.risk.invalidate();
      await suite.ctx.risk.assessPending('test');
    });

    const buttonNames = async (page: Page, scope: string) =>
      (await page.locator(scope).getByRole('button').allTextContents()).map((t) => t.trim());

    test('an analyst writes a profile in the form, sees each problem at its field, and submits it', async () => {
      const page = await suite.at('risk-analyst', '/profiles');
      await page.getByRole('heading', { name: 'Rule profiles' }).waitFor();
      await page.getByRole('button', { name: 'New profile' }).click();
      await page.getByRole('heading', { name: 'New profile' }).waitFor();
      await assertEveryInputLabelled(page);
      await page.getByLabel('Code').fill('NEW-ORIGIN');
      await page.getByLabel('Name', { exact: true }).fill('First imports from a preferential origin');
      await page.getByLabel('Lane').selectOption('red');
      await page.getByLabel('Weight (1–100)').fill('70');
      await page
        .getByLabel('Reason shown to the officer')
        .fill('The trader declares this origin for the first time');
      await page.getByLabel('Field of condition 1').selectOption('item.originCountry');
      await page.getByLabel('Operator of condition 1').selectOption('in');
      await page.getByRole('button', { name: 'Save draft' }).click();

      // the empty list is refused, and the refusal sits at the value of the first condition
      await page.getByRole('alert').waitFor();
      const value = page.getByLabel('Value of condition 1');
      assert.equal(await value.getAttribute('aria-invalid'), 'true');
      const problem = page.locator(`[id="${await value.getAttribute('aria-describedby')}"]`);
      assert.match((await problem.textContent()) ?? '', /condition 1: enter a value/);
      assert.equal(
        await page.evaluate('document.activeElement.getAttribute("aria-label")'),
        'Value of condition 1',
      );
      await screenshot(page, 'analyst-profile-problems');

      await value.fill('VN, TH');
      await page.getByRole('button', { name: 'Add condition' }).click();
      await page.getByLabel('Field of condition 2').selectOption('indicator.firstUseOfOrigin');
      await page.getByLabel('Value of condition 2').selectOption('true');
      await page.getByRole('button', { name: 'Save draft' }).click();

      await page.getByRole('heading', { name: 'NEW-ORIGIN · version 1' }).waitFor();
      const detail = page.locator('article.profile');
      assert.match(
        (await detail.textContent()) ?? '',
        /item\.originCountry\s*is one of\s*VN, TH\s*indicator\.firstUseOfOrigin\s*equals\s*yes/,
      );
      assert.deepEqual(await buttonNames(page, 'article.profile .actions'), [
        'Submit for approval',
        'Edit as new version',
      ]);
      await page.getByRole('button', { name: 'Submit for approval' }).click();
      await detail.getByText('awaiting approval').waitFor();
      // nobody approves their own profile: the author is offered no decision
      assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
      assert.match((await detail.textContent()) ?? '', /Waiting for a risk analyst other than risk-analyst/);
      await screenshot(page, 'analyst-profile-submitted');
      await page.close();
    });

    test('another analyst approves the submitted profile, which becomes active', async () => {
      const page = await suite.at('second-analyst', '/profiles');
      await page.getByRole('button', { name: 'NEW-ORIGIN' }).click();
      await page.getByRole('heading', { name: 'NEW-ORIGIN · version 1' }).waitFor();
      assert.deepEqual(await buttonNames(page, 'article.profile .actions'), [
        'Approve',
        'Reject',
        'Edit as new version',
      ]);
      await page.getByLabel('Reason for the decision').fill('Checked against last quarter');
      await page.getByRole('button', { name: 'Approve' }).click();
      const row = page.getByRole('row', { name: /NEW-ORIGIN/ });
      await row.getByText('active').waitFor();
      assert.deepEqual(await buttonNames(page, 'article.profile .actions'), [
        'Retire',
        'Edit as new version',
      ]);
      assert.match(
        (await page.locator('article.profile').textContent()) ?? '',
        /Checked against last quarter/,
      );
      await screenshot(page, 'analyst-profile-approved');
      await page.close();

      const active = await profilesRepository.active(suite.ctx.db);
      assert.ok(active.some((p) => p.code === 'NEW-ORIGIN' && p.decidedBy === 'second-analyst'));
    });

    test('an analyst who leaves a condition row empty is shown the row, and nothing is saved', async () => {
      const versions = async () =>
        Number(
          (
            await suite.ctx.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM risk_profiles WHERE code = 'NEW-ORIGIN'`,
            )
          )[0]?.n,
        );
      const page = await suite.at('risk-analyst', '/profiles');
      await page.getByRole('button', { name: 'NEW-ORIGIN' }).click();
      await page.getByRole('button', { name: 'Edit as new version' }).click();
      await page.getByRole('heading', { name: 'New version of NEW-ORIGIN' }).waitFor();
      await page.getByLabel('Weight (1–100)').fill('85');
      await page.getByLabel('Value of condition 1').fill('VN, TH, KH');
      await page.getByRole('button', { name: 'Add condition' }).click();
      // the new row has the focus and nothing chosen; it is left as it is
      assert.equal(
        await page.evaluate('document.activeElement.getAttribute("aria-label")'),
        'Field of condition 3',
      );
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST') requests.push(r.url());
      });
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page
        .getByRole('alert')
        .getByText(/complete or remove the empty condition/)
        .waitFor();
      const field = page.getByLabel('Field of condition 3');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      const problem = page.locator(`[id="${await field.getAttribute('aria-describedby')}"]`);
      assert.equal(await problem.textContent(), 'condition 3: choose a field');
      assert.equal(
        await page.evaluate('document.activeElement.getAttribute("aria-label")'),
        'Field of condition 3',
      );
      assert.equal(await page.locator('.conditions tr.invalid').count(), 1, 'only the empty row is marked');
      assert.deepEqual(requests, [], 'nothing is sent');
      assert.equal(await versions(), 1, 'nothing is saved');
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'analyst-profile-empty-row');

      await page.getByRole('button', { name: 'Remove condition 3' }).click();
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('heading', { name: 'NEW-ORIGIN · version 2' }).waitFor();
      await page.getByRole('button', { name: 'Submit for approval' }).click();
      await page.locator('article.profile').getByText('awaiting approval').waitFor();
      assert.equal(await versions(), 2);
      await page.close();
    });

    test('the approver reads the new version beside the version in force, with what changed named', async () => {
      const page = await suite.at('second-analyst', '/profiles');
      await page
        .getByRole('row', { name: /NEW-ORIGIN.*awaiting approval/ })
        .getByRole('button', { name: 'NEW-ORIGIN' })
        .click();
      await page.getByRole('heading', { name: 'NEW-ORIGIN · version 2' }).waitFor();
      const comparison = page.getByRole('region', { name: 'Against the version in force' });
      await comparison.getByRole('table').waitFor();
      assert.deepEqual(await comparison.getByRole('columnheader').allTextContents(), [
        'What',
        'In force: version 1',
        'This version: 2',
      ]);
      // each row: what it is with its change in words, then the two versions
      const row = async (name: RegExp) => {
        const found = comparison.getByRole('row', { name });
        return [
          await found.getByRole('rowheader').locator('.change').textContent(),
          ...(await found.getByRole('cell').allTextContents()).map((t) => t.trim()),
        ];
      };
      assert.deepEqual(await row(/^Weight/), ['changed', '70', '85']);
      assert.deepEqual(await row(/^Condition on item\.originCountry/), [
        'changed',
        'item.originCountry is one of VN, TH',
        'item.originCountry is one of VN, TH, KH',
      ]);
      assert.deepEqual(await row(/^Condition on indicator\.firstUseOfOrigin/), [
        'unchanged',
        'indicator.firstUseOfOrigin equals yes',
        'indicator.firstUseOfOrigin equals yes',
      ]);
      assert.deepEqual(await row(/^Name/), [
        'unchanged',
        'First imports from a preferential origin',
        'First imports from a preferential origin',
      ]);
      // what goes is struck through and what comes is marked as inserted, besides the word
      assert.equal(await comparison.locator('del').first().textContent(), '70');
      assert.equal(await comparison.locator('ins').first().textContent(), '85');
      assert.match((await comparison.textContent()) ?? '', /2 differences from version 1, in force/);
      await assertContrast(page);
      await screenshot(page, 'analyst-profile-comparison');
      await page.close();
    });

    test('a new profile awaiting approval says that no version is in force', async () => {
      const draft = await suite.server.request('POST', '/api/risk/profiles', {
        token: suite.tokens.risk_analyst,
        body: {
          code: 'FIRST-TIME',
          name: 'First declaration of a trader',
          lane: 'yellow',
          weight: 30,
          reason: 'The trader declares for the first time',
          validFrom: '2026-01-01',
          conditions: [{ field: 'indicator.traderDeclarations', op: 'eq', value: 0 }],
        },
      });
      assert.equal(draft.status, 201, JSON.stringify(draft.body));
      await suite.server.request('POST', `/api/risk/profiles/${draft.body.id}/submit`, {
        token: suite.tokens.risk_analyst,
      });
      const page = await suite.at('second-analyst', '/profiles');
      await page.getByRole('button', { name: 'FIRST-TIME' }).click();
      const comparison = page.getByRole('region', { name: 'Against the version in force' });
      await comparison.getByText('No version of FIRST-TIME is in force').waitFor();
      // Escape in the decision's reason keeps the profile open with the text
      const note = page.getByLabel('Reason for the decision');
      await note.click();
      await note.pressSequentially('looks right');
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('article.profile').count(), 1);
      assert.equal(await note.inputValue(), 'looks right');
      await page.close();
    });

    test('a supervisor reads profiles and their definitions without any button to change them', async () => {
      const page = await suite.at('supervisor', '/profiles');
      await page.getByRole('button', { name: 'UNDERVALUED' }).click();
      await page.getByRole('heading', { name: 'UNDERVALUED · version 1' }).waitFor();
      assert.match((await page.locator('article.profile').textContent()) ?? '', /indicator\.unitValueRatio/);
      assert.equal(await page.getByRole('button', { name: 'New profile' }).count(), 0);
      assert.deepEqual(await buttonNames(page, 'article.profile'), ['Close (Esc)']);
      await screenshot(page, 'supervisor-profiles');
      await page.keyboard.press('Escape');
      await page.locator('article.profile').waitFor({ state: 'detached' });
      await page.close();
    });

    test('an analyst activates the waiting model version after confirming', async () => {
      const [first, second] = models;
      const page = await suite.at('risk-analyst', '/models');
      await page.getByRole('heading', { name: 'Risk models' }).waitFor();
      const row = (id: number | undefined) =>
        page.locator('tr', { has: page.getByRole('rowheader', { name: String(id), exact: true }) });
      await row(first).waitFor();
      assert.match((await row(first).textContent()) ?? '', /active/);
      assert.match((await row(second).textContent()) ?? '', /inactive/);
      // the metrics of a held-out tenth are shown as measured
      assert.match((await row(second).textContent()) ?? '', /0\.\d{3}/);
      assert.equal(
        await row(first)
          .getByRole('button', { name: /Activate/ })
          .count(),
        0,
      );
      await screenshot(page, 'analyst-models');

      await row(second)
        .getByRole('button', { name: `Activate model ${second}` })
        .click();
      const dialog = page.getByRole('dialog', { name: `Activate model ${second}?` });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Activate' }).click();
      await page.getByRole('status').getByText(`Model ${second} now scores`).waitFor();
      assert.match((await row(second).textContent()) ?? '', /activated by risk-analyst/);
      assert.match((await row(first).textContent()) ?? '', /inactive/);
      assert.equal(
        await row(first)
          .getByRole('button', { name: `Activate model ${first}` })
          .count(),
        1,
      );
      assert.equal((await activeModel(suite.ctx.db))?.id, second);
      await page.close();
    });

    test('performance shows targeted against random hit rates, the duty and revenue of the controls per period, and each profile', async () => {
      const page = await suite.at('risk-analyst', '/performance');
      await page.getByRole('heading', { name: 'Risk performance' }).waitFor();
      await page.getByRole('heading', { name: 'Targeted against random, per month' }).waitFor();
      const periods = page.locator('table').first().locator('tbody tr');
      assert.ok((await periods.count()) >= 6, 'half a year in months');
      assert.match((await page.locator('.summary').textContent()) ?? '', /Random hit rate\d+\.\d\s%/);
      assert.match(
        (await page.getByRole('img', { name: /^Hit rates per period/ }).getAttribute('aria-label')) ?? '',
        /targeted \d+\.\d\s%/,
      );
      // version, status, selected, controlled, non-compliant, hit rate
      const profile = await page
        .getByRole('row', { name: /UNDERVALUED/ })
        .getByRole('cell')
        .allTextContents();
      assert.equal(profile[1], 'active');
      assert.ok(Number(profile[2]) > 0, `UNDERVALUED selected ${profile[2]}`);
      await assertEveryInputLabelled(page);

      // the duty of the controlled declarations and the revenue recovered per month, each currency
      // apart: the groups' sums of the report added here per currency
      type Amounts = { currency: string; amount: number }[];
      type Groups = Record<
        'targeted' | 'random' | 'other',
        { controlledDuty: Amounts; revenueRecovered: Amounts }
      >;
      const served = await suite.server.request('GET', '/api/risk/performance', {
        token: suite.tokens.risk_analyst,
      });
      const months = (served.body as { periods: (Groups & { period: string })[] }).periods;
      const twoDecimals = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const written = (p: Groups, of: 'controlledDuty' | 'revenueRecovered') => {
        const sums = new Map<string, number>();
        for (const g of [p.targeted, p.random, p.other])
          for (const a of g[of]) sums.set(a.currency, (sums.get(a.currency) ?? 0) + a.amount);
        const list = [...sums].sort(([a], [b]) => a.localeCompare(b));
        return list.length ? list.map(([c, v]) => `${twoDecimals.format(v)} ${c}`).join('; ') : 'none';
      };
      const dutiable = months.filter((p) => written(p, 'controlledDuty') !== 'none');
      assert.ok(dutiable.length >= 3, 'controlled declarations owe duty in most months');
      for (const month of dutiable) {
        const cells = await page
          .getByRole('table', { name: 'Duty and revenue of the controls per month' })
          .getByRole('row', { name: month.period })
          .getByRole('cell')
          .allTextContents();
        assert.deepEqual(cells.slice(1), [
          written(month, 'controlledDuty'),
          written(month, 'revenueRecovered'),
        ]);
      }
      assert.match(
        (await page.locator('.summary').textContent()) ?? '',
        /Duty of the controlled declarations[\d,]+\.\d\d [A-Z]{3}/,
      );
      await screenshot(page, 'analyst-performance');

      // weekly periods on request
      await page.getByLabel(/^Period/).selectOption('week');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.getByRole('heading', { name: 'Targeted against random, per week' }).waitFor();
      assert.ok((await periods.count()) >= 20, 'half a year in weeks');
      await page.close();
    });

    test('an officer browses the price reference a page at a time and opens a distribution', async () => {
      const [busy] = await suite.ctx.db.query<{ hs6: string; currency: string }>(
        `SELECT hs6, currency FROM price_reference WHERE origin = '' ORDER BY n DESC, hs6 LIMIT 1`,
      );
      assert.ok(busy);
      const override = await suite.server.request('PUT', '/api/risk/prices/overrides', {
        token: suite.tokens.risk_analyst,
        body: { hs6: busy.hs6, currency: busy.currency, min: 0.5, reason: 'market survey' },
      });
      assert.equal(override.status, 200);

      const page = await suite.at('officer', '/prices');
      await page.getByRole('heading', { name: 'Price reference' }).waitFor();
      const rows = page.locator('tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 100, 'the first page');
      await page.getByRole('button', { name: 'More' }).click();
      await rows.nth(100).waitFor();

      await page.getByLabel('HS prefix').fill(busy.hs6.slice(0, 4));
      await page.getByLabel('Currency').fill(busy.currency);
      await page.keyboard.press('Enter');
      const all = page.locator('tbody tr', {
        has: page.getByRole('cell', { name: 'all origins', exact: true }),
      });
      const row = all.filter({ has: page.getByRole('rowheader', { name: busy.hs6 }) });
      await row.waitFor();
      const codes = await page.locator('tbody th').allTextContents();
      assert.ok(codes.length > 0 && codes.every((c) => c.startsWith(busy.hs6.slice(0, 4))), codes.join(' '));
      assert.match((await row.textContent()) ?? '', /at least 0\.5: market survey \(risk-analyst\)/);

      await row.getByRole('button', { name: /^Show distribution/ }).click();
      const panel = page.getByRole('complementary', {
        name: `Distribution of ${busy.hs6} from all origins in ${busy.currency}`,
      });
      await panel.waitFor();
      assert.match(
        (await panel.getByRole('img').getAttribute('aria-label')) ?? '',
        /median [\d.,]+, middle 90% from [\d.,]+ to [\d.,]+, anomalies outside 0\.5 to [\d.,]+/,
      );
      assert.match((await panel.textContent()) ?? '', /The band is set by risk-analyst: market survey/);
      assert.equal(await panel.locator('canvas').count(), 1);
      await assertEveryInputLabelled(page);
      await screenshot(page, 'officer-prices');
      await page.close();
    });
  });
}
