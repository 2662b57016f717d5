/**
 * The web application in a real browser (Debian's Chromium driven by playwright-core) against the
 * real server: each role's first page, as a person would see it. Screenshots go to test-output/.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  assertContrast,
  assertEveryInputLabelled,
  browserSuite,
  filledValue,
  screenshot,
} from '../testing/browser.ts';
import { aDeclaration, anItem, storageTargets } from '../testing/harness.ts';
import { parseProfile } from '../risk/profiles/profile.ts';
import { profilesRepository } from '../risk/profiles/repository.ts';

for (const target of storageTargets()) {
  describe(`the web application in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let cheapId: number;
    before(async () => {
      // an active profile sends declarations from a watched seller to the red lane
      const parsed = parseProfile({
        code: 'WATCHED-SELLER',
        name: 'watched seller',
        lane: 'red',
        weight: 90,
        reason: 'The seller is under investigation',
        validFrom: '2020-01-01',
        conditions: [{ field: 'seller', op: 'eq', value: 'WATCHED CO' }],
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      const draft = await profilesRepository.create(suite.ctx.db, parsed.value, 'analyst-1');
      await profilesRepository.submit(suite.ctx.db, draft.id, 'analyst-1');
      await profilesRepository.decide(suite.ctx.db, draft.id, 'analyst-2', true, null);
      // enough smartphones at about 96 USD/kg for a price reference, then one far below it
      for (let k = 0; k < 12; k++) {
        const value = 1100 + k * 20;
        const res = await suite.server.request('POST', '/api/declarations', {
          token: suite.tokens.trader,
          body: aDeclaration({ invoiceTotal: value, items: [anItem({ value })] }),
        });
        assert.equal(res.status, 201);
      }
      const recomputed = await suite.server.request('POST', '/api/risk/prices/recompute', {
        token: suite.tokens.risk_analyst,
      });
      assert.equal(recomputed.status, 200, JSON.stringify(recomputed.body));
      const cheap = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({
          functionalReference: 'WEB-CHEAP',
          invoiceTotal: 12,
          items: [anItem({ value: 12 })],
        }),
      });
      assert.equal(cheap.status, 201);
      cheapId = Number(cheap.body.id);
      for (const [reference, seller] of [
        ['WEB-1', 'SELLER-1'],
        ['WEB-2', 'WATCHED CO'],
        ['WEB-3', 'WATCHED CO'],
        ['WEB-4', 'WATCHED CO'],
        ['WEB-5', 'WATCHED CO'],
      ]) {
        const res = await suite.server.request('POST', '/api/declarations', {
          token: suite.tokens.trader,
          body: aDeclaration({ functionalReference: reference, seller }),
        });
        assert.equal(res.status, 201);
      }
    });

    test('a wrong password is refused on the sign-in form', async () => {
      const page = await suite.browser.newPage();
      await page.goto(suite.server.url + '/');
      await page.getByLabel('Username').fill('trader');
      await page.getByLabel('Password').fill('not the password');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').waitFor();
      assert.match((await page.getByRole('alert').textContent()) ?? '', /username or password/i);
      await page.close();
    });

    test('a trader sees its declarations with their status and lane', async () => {
      const page = await suite.at('trader');
      await page.getByRole('heading', { name: 'Declarations' }).waitFor();
      const row = page.getByRole('row', { name: /WEB-2/ });
      await row.waitFor();
      const text = (await row.textContent()) ?? '';
      assert.match(text, /accepted/);
      assert.match(text, /red|yellow|blue|green/);
      assert.equal(
        await page.getByRole('button', { name: 'Worklist' }).count(),
        0,
        'no worklist for traders',
      );
      await assertContrast(page);
      await screenshot(page, 'trader-declarations');
      await page.close();
    });

    test('an officer lands on the worklist of their office, reachable from the keyboard', async () => {
      const page = await suite.at('officer');
      await page.getByRole('heading', { name: 'Worklist' }).waitFor();
      assert.equal(await page.getByLabel('Office').inputValue(), '030');
      await assertEveryInputLabelled(page);
      // the pages and sign-out are reached with Tab
      const reached: string[] = [];
      for (let i = 0; i < 12 && !reached.includes('Sign out'); i++) {
        await page.keyboard.press('Tab');
        reached.push(await page.evaluate('document.activeElement ? document.activeElement.textContent : ""'));
      }
      assert.ok(reached.includes('Declarations') && reached.includes('Sign out'), reached.join(' | '));
      await assertContrast(page);
      await screenshot(page, 'officer-worklist');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Username').waitFor();
      await page.close();
    });

    test('a supervisor sees the queues of every office with how old their work is', async () => {
      const page = await suite.at('supervisor');
      await page.getByRole('heading', { name: 'Worklist' }).waitFor();
      await page.getByRole('button', { name: 'Queues' }).click();
      await page.getByRole('heading', { name: 'Queues' }).waitFor();
      // the office's row, once the queues have come (the stages' table may come first)
      const office = page.getByRole('row').filter({ hasText: /^\s*030\s*(red|yellow)/ });
      await office.first().waitFor();
      assert.match((await office.first().textContent()) ?? '', /^030\s*(red|yellow)/);
      await assertContrast(page);
      await screenshot(page, 'supervisor-queues');
      await page.close();
    });

    test('an officer opens selected work, reads why it was selected, and records the control result', async () => {
      const page = await suite.at('officer');
      await page.getByRole('link', { name: 'WEB-2' }).click();
      await page.getByRole('heading', { name: /Declaration \d+ · WEB-2/ }).waitFor();
      const risk = page.locator('section', { has: page.getByRole('heading', { name: /Risk assessment/ }) });
      assert.match(
        (await risk.textContent()) ?? '',
        /WATCHED-SELLER \(red, weight 90\): The seller is under investigation/,
      );
      await assertContrast(page);
      await screenshot(page, 'officer-declaration');
      await page.getByLabel('Outcome').selectOption('non_compliant');
      await page.getByLabel('Kind of irregularity').selectOption('undervaluation');
      await page.getByLabel('Revenue recovered').fill('1200');
      await page.getByRole('button', { name: 'Take it and record the result…' }).click();
      await page
        .getByRole('dialog', { name: 'Record this result?' })
        .getByRole('button', { name: 'Record it' })
        .click();
      await page.getByText(/controlled by officer/).waitFor();
      assert.equal(await page.locator('.facts dd').first().textContent(), 'controlled');
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: 'Worklist' }).waitFor();
      assert.equal(
        await page.getByRole('link', { name: 'WEB-2' }).count(),
        0,
        'controlled work leaves the worklist',
      );
      await page.close();
    });

    test('a trader lodges a declaration through the form, with each finding shown at its field as it types', async () => {
      const page = await suite.at('trader');
      await page.getByRole('button', { name: 'Lodge' }).click();
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      await assertEveryInputLabelled(page);
      assert.equal(await page.getByLabel('Trader').inputValue(), 'TRADER-A');
      await page.getByLabel('Your reference').fill('WEB-FORM-1');
      await page.getByLabel('Office of lodgement').fill('030');
      await page.getByLabel('Seller').fill('SELLER-1');
      await page.getByLabel('Dispatch country').fill('CN');
      await page.getByLabel('Origin country').fill('CN');
      await page.getByLabel('Invoice total').fill('1200');
      await page.getByLabel('Procedure', { exact: true }).fill('4000');
      await page.getByLabel('Transport mode').fill('4');
      const hs = page.getByLabel('HS code');
      await hs.fill('8517');
      await page.getByLabel('Description').focus();
      // the API's finding appears under the field it concerns
      await page.locator('#f-items-0--hsCode-findings').waitFor();
      assert.equal(await hs.getAttribute('aria-invalid'), 'true');
      await assertContrast(page);
      await screenshot(page, 'trader-lodge-findings');
      await hs.fill('85171300');
      await page.getByLabel('Description').fill('smartphones, 128 GB');
      await page.getByLabel('Net mass (kg)').fill('12.5');
      await page.getByLabel('Value').fill('1200');
      // it owes duty, so it stays open to be amended (a green one owing nothing is released at once)
      await page.getByLabel('Duty rate (%)').fill('8');
      await page.locator('#f-items-0--hsCode-findings').waitFor({ state: 'detached' });
      await page.getByText('No errors found so far.').waitFor();
      await page.getByRole('button', { name: 'Lodge', exact: true }).last().click();
      await page.getByRole('heading', { name: /Declaration \d+ · WEB-FORM-1/ }).waitFor();
      assert.match(page.url(), /\/declarations\/\d+$/);
      await page.getByText(/accepted by trader/).waitFor();
      // amends it: the form starts from the declaration as lodged
      await page.getByRole('button', { name: 'Amend…' }).click();
      await page.getByRole('heading', { name: /Amend declaration \d+/ }).waitFor();
      assert.equal(await filledValue(page.getByLabel('Your reference')), 'WEB-FORM-1');
      await page.getByLabel('Invoice total').fill('1300');
      await page.getByLabel('Value').fill('1300');
      await page.getByText('No errors found so far.').waitFor();
      await page.getByRole('button', { name: 'Amend', exact: true }).click();
      await page.getByText(/amended by trader/).waitFor();
      assert.match((await page.locator('.fact-groups').textContent()) ?? '', /Invoice total1,300\.00 USD/);
      // and, changing its mind, cancels it with a reason kept in the history
      await page.getByRole('button', { name: 'Cancel the declaration…' }).click();
      await page.getByLabel('Why cancel it').fill('lodged at the wrong office');
      await page.getByRole('button', { name: 'Cancel it' }).click();
      await page.getByText(/cancelled by trader: lodged at the wrong office/).waitFor();
      assert.equal(await page.locator('.facts dd').first().textContent(), 'cancelled');
      assert.equal(await page.getByRole('button', { name: 'Cancel the declaration…' }).count(), 0);
      await page.close();
    });

    test('a trader sees every mistake at its field in words, codes upper-cased as typed, and a long word never widens the page', async () => {
      const page = await suite.at('trader');
      await page.setViewportSize({ width: 1280, height: 900 });
      // every request the pages make, and what the server answered
      const refused: string[] = [];
      page.on('response', (r) => {
        if (r.status() === 403) refused.push(`${r.request().method()} ${r.url()}`);
      });
      const pageWidth = () =>
        page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]') as Promise<
          [number, number]
        >;
      await page.getByRole('button', { name: 'Lodge' }).click();
      await page.getByRole('heading', { name: 'Lodge a declaration' }).waitFor();
      const reference = page.getByLabel('Your reference');
      await reference.pressSequentially('R'.repeat(40));
      await page.getByLabel('Office of lodgement').pressSequentially('030');
      await page.getByLabel('Seller').fill('SELLER-1');
      const dispatch = page.getByLabel('Dispatch country');
      await dispatch.pressSequentially('cn');
      assert.equal(
        await dispatch.inputValue(),
        'CN',
        'a code typed in lower case is upper-cased as it is typed',
      );
      await page.getByLabel('Origin country').pressSequentially('cn');
      await page.getByLabel('Invoice total').fill('1200');
      await page.getByLabel('Procedure', { exact: true }).fill('4000');
      await page.getByLabel('Transport mode').fill('4');
      const hs = page.getByLabel('HS code');
      await hs.pressSequentially('85171300');
      const description = 'SMARTPHONE'.repeat(30); // 300 characters without a space
      await page.getByLabel('Description').fill(description);
      await page.getByLabel('Net mass (kg)').fill('12.5');
      await page.getByLabel('Quantity').fill('10');
      // upper-cased as typed, also in the middle of what was typed, the caret staying in place
      const unit = page.getByLabel('Unit', { exact: true });
      await unit.pressSequentially('nr');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('a');
      assert.equal(await unit.inputValue(), 'NAR');
      // the item's value is left out: a finding of the validation layers beside the schema's
      await page.getByRole('button', { name: 'Lodge', exact: true }).last().click();
      const referenceFindings = page.locator('#f-functionalReference-findings');
      await referenceFindings.waitFor();
      assert.equal(
        await referenceFindings.textContent(),
        'Your reference must be at most 35 characters (it has 40)',
      );
      assert.equal(await reference.getAttribute('aria-invalid'), 'true');
      // the findings may already show from the check while typing; the focus moves once the
      // attempt to lodge has its own answer
      await page
        .waitForFunction("document.activeElement?.id === 'f-functionalReference'", null, {
          timeout: 5000,
        })
        .catch(() => undefined);
      assert.equal(
        await page.evaluate('document.activeElement.id'),
        'f-functionalReference',
        'the first field to correct has the focus',
      );
      assert.equal(
        await page.locator('#f-items-0--value-findings').textContent(),
        'Item 1, value is required',
        'the other findings are still shown',
      );
      assert.equal(
        await page.locator('.summary').textContent(),
        '2 errors to correct.',
        (await page.locator('ul.findings li').allTextContents()).join(' | '),
      );
      const [formWidth, viewport] = await pageWidth();
      assert.ok(formWidth <= viewport, `the form is ${formWidth} px wide in a ${viewport} px window`);
      await assertEveryInputLabelled(page);
      await assertContrast(page);
      await screenshot(page, 'trader-lodge-schema-findings');

      await reference.fill('WEB-LONG-1');
      await page.getByLabel('Value').fill('1200');
      await page.getByText('No errors found so far.').waitFor();
      await page.locator('#f-functionalReference-findings').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Lodge', exact: true }).last().click();
      await page.getByRole('heading', { name: /Declaration \d+ · WEB-LONG-1/ }).waitFor();
      await page.getByText(/accepted by trader/).waitFor();
      await page.getByRole('cell', { name: description }).waitFor();
      assert.match((await page.locator('.fact-groups').textContent()) ?? '', /Office030/);
      const [width, inWindow] = await pageWidth();
      assert.ok(width <= inWindow, `the declaration page is ${width} px wide in a ${inWindow} px window`);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(refused, [], 'a trader is never refused a request the pages make by themselves');
      await screenshot(page, 'trader-declaration-long-description');
      await page.close();
    });

    test('an officer works from the keyboard: moves down the worklist, opens, takes and records', async () => {
      const page = await suite.at('officer');
      await page.getByRole('heading', { name: 'Worklist' }).waitFor();
      await page.getByRole('link', { name: 'WEB-3' }).waitFor();
      const references = await page.locator('tbody a.link').allTextContents();
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      const focused = await page.evaluate('document.activeElement ? document.activeElement.textContent : ""');
      assert.equal(focused, references[2], 'j moves to the next row');
      await page.keyboard.press('k');
      const chosen = references[1] ?? '';
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: new RegExp(`· ${chosen}`) }).waitFor();
      assert.match(page.url(), /\/declarations\/\d+$/);
      await page.keyboard.press('t');
      await page.getByText('Worked by').waitFor();
      assert.equal(await page.getByRole('button', { name: /Take it/ }).count(), 0);
      await page.keyboard.press('c');
      assert.equal(await page.evaluate('document.activeElement.id'), 'control-outcome');
      // Escape in a field only leaves the field; the next one goes back to the worklist
      await page.keyboard.press('Escape');
      assert.match(page.url(), /\/declarations\/\d+$/);
      assert.notEqual(await page.evaluate('document.activeElement.id'), 'control-outcome');
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: 'Worklist' }).waitFor();
      await page.getByLabel('Show').selectOption('mine');
      await page.getByRole('row', { name: new RegExp(chosen) }).waitFor();
      // the rows of the whole worklist stay until the filtered list has come
      await page.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
      assert.equal(await page.locator('tbody tr').count(), 1, 'only the work the officer took');
      await screenshot(page, 'officer-my-work');
      await page.close();
    });

    test('a supervisor reroutes work giving a reason, and assigns selected work to an officer', async () => {
      const page = await suite.at('supervisor');
      await page.getByRole('link', { name: 'WEB-4' }).click();
      await page.getByRole('heading', { name: /· WEB-4/ }).waitFor();
      await assertEveryInputLabelled(page);
      await page.getByLabel('Move to lane').selectOption('yellow');
      await page.getByLabel('Reason').fill('seller cleared by the investigation team');
      await page.getByRole('button', { name: 'Reroute' }).click();
      await page
        .getByText(/rerouted by supervisor: red → yellow lane \(seller cleared by the investigation team\)/)
        .waitFor();
      await assertContrast(page);
      await screenshot(page, 'supervisor-reroute');
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: 'Worklist' }).waitFor();
      await page.getByLabel('Select WEB-5').check();
      await page.getByLabel('Assign selected to').selectOption('officer');
      await page.getByRole('button', { name: 'Assign' }).click();
      await page.getByRole('row', { name: /WEB-5.*officer/ }).waitFor();
      await page.close();
    });

    test('an undervalued item is drawn against the price reference, opened by its address', async () => {
      const page = await suite.at('officer', `/declarations/${cheapId}`);
      await page.getByRole('heading', { name: /· WEB-CHEAP/ }).waitFor();
      const chart = page.getByRole('img', { name: /Unit values of HS 851713/ });
      await chart.waitFor();
      const label = (await chart.getAttribute('aria-label')) ?? '';
      assert.match(label, /median 96/);
      assert.match(label, /declared 0\.96/);
      assert.ok((await chart.locator('canvas').count()) > 0, 'the distribution is drawn');
      await assertContrast(page);
      await screenshot(page, 'officer-price-anomaly');
      await page.close();
    });

    test('unknown API paths stay JSON errors, and page paths get the application', async () => {
      const api = await fetch(suite.server.url + '/api/nothing-here');
      assert.equal(api.status, 404);
      const deep = await fetch(suite.server.url + '/declarations/12');
      assert.equal(deep.status, 200);
      assert.match(await deep.text(), /<div id="root">/);
      const escape = await fetch(suite.server.url + '/..%2F..%2Fpackage.json');
      assert.notEqual((await escape.text()).includes('"name": "clearway"'), true);
    });
  });
}
