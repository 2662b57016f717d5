import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readCopy } from './copy.ts';

test('a copy folder is read for its files only: a folder named like a checkpoint is no error', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'clearway-copy-'));
  try {
    await mkdir(path.join(dir, 'checkpoint-1.json'));
    await writeFile(path.join(dir, 'notes.json'), '{"not":"a checkpoint"}');
    const copy = await readCopy(dir);
    assert.deepEqual(copy?.checkpoints, []);
    assert.equal(copy?.head, undefined);
    assert.deepEqual(
      copy?.unreadable.map((u) => path.basename(u.file)),
      ['notes.json'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a copy folder that does not exist is no copy', async () => {
  assert.equal(await readCopy(path.join(tmpdir(), 'clearway-no-such-copy-folder')), undefined);
});
