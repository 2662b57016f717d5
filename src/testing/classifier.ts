/**
 * A small classification model for tests: the reference texts of a few chapters, trained in about
 * a second, registered and (unless told otherwise) activated.
 */
import type { AppContext } from '../app-context.ts';
import { trainClassifier, type Classifier } from '../classification/classifier.ts';
import type { LabelledText } from '../classification/corpus.ts';
import { referenceTextsFor } from '../classification/reference-texts.ts';
import { activateClassifier, registerClassifier } from '../classification/registry.ts';
import type { Database } from '../db/database.ts';
import { defaultReferenceDir } from '../reference/reference-dir.ts';

/** Fish and crustaceans, fruit, clothing, electrical machinery and vehicles. */
export const testChapters = ['03', '08', '61', '62', '85', '87'];

let texts: Promise<LabelledText[]> | undefined;
let model: Promise<Classifier> | undefined;

/** The reference texts of `testChapters` (from the repository's reference data), read once per process. */
export function testTexts(): Promise<LabelledText[]> {
  texts ??= referenceTextsFor({ referenceDir: defaultReferenceDir() }).then((all) =>
    all.filter((t) => testChapters.includes(t.hs6.slice(0, 2))),
  );
  return texts;
}

/** The model of the test texts, trained once per process. */
export function testClassifier(): Promise<Classifier> {
  model ??= testTexts().then((t) => trainClassifier(t));
  return model;
}

/** Registers the test model in `db` and activates it unless `activate` is false; returns its id. */
export async function storeTestClassifier(db: Database, { activate = true } = {}): Promise<number> {
  const version = await registerClassifier(db, await testClassifier(), {
    createdBy: 'test',
    source: 'reference',
    texts: { reference: (await testTexts()).length, declarations: 0 },
  });
  const id = Number(version.id);
  if (activate) await activateClassifier(db, id, 'analyst');
  return id;
}

/** The same in a server's context, whose aid then answers with it at once. */
export async function registerTestClassifier(ctx: AppContext, { activate = true } = {}): Promise<number> {
  const id = await storeTestClassifier(ctx.db, { activate });
  if (activate) await (await ctx.classification()).refresh();
  return id;
}
