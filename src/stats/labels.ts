/**
 * Names for the keys statistics group by, from the reference data and the data dictionary, so a
 * chart legend says "XVI Machinery ..." or "Customs value" rather than a bare code or path.
 */
import countries from 'i18n-iso-countries';
import type { Catalog } from '../declarations/catalog.ts';
import type { ReferenceData } from '../reference/reference-data.ts';

/** What the statistics need from the reference data: chapters, their sections and names. */
export interface StatsLabels {
  /** Every HS chapter (`01`..`97`) with the roman numeral of its section. */
  readonly chapterSections: readonly (readonly [chapter: string, section: string])[];
  section(section: string): string;
  chapter(chapter: string): string;
  country(code: string): string;
  field(path: string): string;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The labels of the editions in force today and before: chapters keep their section across editions. */
export function statsLabels(reference: ReferenceData, catalog: Catalog): StatsLabels {
  const editionDays = reference.hsEditions.map((e) => e.validFrom).reverse();
  const chapterSections: [string, string][] = [];
  const chapterNames = new Map<string, string>();
  for (let n = 1; n <= 97; n++) {
    const chapter = String(n).padStart(2, '0');
    for (const day of editionDays) {
      const section = reference.hsSection(chapter, day);
      if (section === undefined) continue;
      chapterSections.push([chapter, section]);
      chapterNames.set(chapter, reference.hsDescription(chapter, day) ?? '');
      break;
    }
  }
  return {
    chapterSections,
    section: (section) => {
      const name = reference.hsSectionName(section);
      return name ? `${section} ${capitalised(name)}` : section;
    },
    chapter: (chapter) => {
      const name = chapterNames.get(chapter);
      return name ? `${chapter} ${name}` : chapter;
    },
    country: (code) => countries.getName(code, 'en') ?? code,
    field: (path) => catalog.entryOf(path)?.name ?? path,
  };
}
