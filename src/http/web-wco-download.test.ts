/**
 * The declaration page in a real browser offers the declaration as WCO XML: the trader who lodged
 * it downloads a file named after its reference that is a DEC-DMS 2 message of that declaration,
 * sound against the schema; an officer's session downloads the same.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { parseWcoMessage } from '../declarations/formats/wco-xml/index.ts';
import { browserSuite, screenshot } from '../testing/browser.ts';
import { aDeclaration, anItem, storageTargets } from '../testing/harness.ts';

for (const target of storageTargets()) {
  describe(`downloading a declaration as WCO XML in Chromium (${target})`, () => {
    const suite = browserSuite(target);
    let id: number;
    const reference = `WCO/${process.pid} 7`;

    before(async () => {
      const lodged = await suite.server.request('POST', '/api/declarations', {
        token: suite.tokens.trader,
        body: aDeclaration({
          functionalReference: reference,
          ucr: '6NL123456789-2026-7',
          items: [anItem(), anItem({ sequence: 2, hsCode: '85176200', value: 300 })],
          invoiceTotal: 1500,
        }),
      });
      assert.equal(lodged.status, 201, JSON.stringify(lodged.body));
      id = Number(lodged.body.id);
    });

    for (const username of ['trader', 'officer']) {
      test(`the ${username} downloads the declaration as a DEC-DMS 2 message named after its reference`, async () => {
        const page = await suite.at(username, `/declarations/${id}`);
        const button = page.getByRole('button', { name: 'Download WCO XML' });
        const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
        // the reference's slash and space are not for a file name
        assert.equal(download.suggestedFilename(), `WCO_${process.pid}_7.xml`);
        const xml = await readFile(await download.path(), 'utf8');
        assert.match(xml, /^<\?xml[^>]*\?>\s*<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"/);
        const message = parseWcoMessage(xml);
        assert.ok(message.ok, JSON.stringify(message));
        assert.deepEqual(message.value.findings, []);
        assert.equal(message.value.draft.functionalReference, reference);
        assert.equal(message.value.draft.ucr, '6NL123456789-2026-7');
        assert.deepEqual(
          message.value.draft.items?.map((i) => [i.hsCode, i.value]),
          [
            ['85171300', 1200],
            ['85176200', 300],
          ],
        );
        if (username === 'trader') await screenshot(page, 'trader-declaration-download-xml');
        await page.close();
      });
    }
  });
}
