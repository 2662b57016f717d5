/** Layer 3, reference: codes (and the customs office) exist in the list in force on the declaration's date. */
import { isIncoterm } from '../../reference/incoterms.ts';
import type { OfficeList } from '../../reference/offices.ts';
import type { ReferenceData } from '../../reference/reference-data.ts';
import type { DeclarationDraft, Report, ValidationContext } from './context.ts';
import { itemPath } from './context.ts';

function usable(failed: ReadonlySet<string>, path: string, value: string | undefined): value is string {
  return value !== undefined && value !== '' && !failed.has(path);
}

function checkCountry(
  report: Report,
  reference: ReferenceData,
  failed: ReadonlySet<string>,
  path: string,
  value: string | undefined,
) {
  if (!usable(failed, path, value) || reference.isCountry(value)) return;
  if (value === unknownCountry) {
    report(path, 'country_not_known', `${path} is ZZ (not known): declare the actual country`, 'warning');
  } else {
    report(path, 'unknown_country', `${path} "${value}" is not an ISO 3166 country code`);
  }
}

/** The user-assigned code many customs systems accept for a country that is not known. */
export const unknownCountry = 'ZZ';

/** The office of lodgement is a customs office in force on the declaration's date (any day if the date failed). */
function checkOffice(report: Report, offices: OfficeList, office: string, date: string | undefined) {
  const standing = offices.standing(office, date);
  if (standing === 'unknown') {
    report('office', 'unknown_office', `office "${office.slice(0, 20)}" is not a customs office`);
  } else if (standing === 'not_in_force') {
    const o = offices.get(office);
    const period = [o?.validFrom ? `from ${o.validFrom}` : '', o?.validTo ? `until ${o.validTo}` : '']
      .filter(Boolean)
      .join(' ');
    report('office', 'office_not_in_force', `customs office ${office} is in force ${period}, not on ${date}`);
  }
}

export function checkReference(
  d: DeclarationDraft,
  report: Report,
  ctx: Pick<ValidationContext, 'reference' | 'offices'>,
  failed: ReadonlySet<string>,
): void {
  const { reference } = ctx;
  checkCountry(report, reference, failed, 'dispatchCountry', d.dispatchCountry);
  checkCountry(report, reference, failed, 'originCountry', d.originCountry);
  checkCountry(report, reference, failed, 'destinationCountry', d.destinationCountry);
  if (usable(failed, 'incoterm', d.incoterm) && !isIncoterm(d.incoterm)) {
    report('incoterm', 'unknown_incoterm', `incoterm "${d.incoterm}" is not an Incoterms code`);
  }
  if (usable(failed, 'currency', d.currency) && !reference.isCurrency(d.currency)) {
    report('currency', 'unknown_currency', `currency "${d.currency}" is not an ISO 4217 currency code`);
  }

  const date = usable(failed, 'date', d.date) ? d.date : undefined;
  if (usable(failed, 'office', d.office)) checkOffice(report, ctx.offices, d.office, date);
  const edition = date ? reference.hsEditionOn(date) : undefined;
  d.items?.forEach((item, i) => {
    const hs6 = item.hsCode?.slice(0, 6);
    if (date && hs6 && !(edition && reference.hsSubheadingInForce(hs6, date))) {
      const hsPath = itemPath(i, 'hsCode');
      if (usable(failed, hsPath, item.hsCode)) {
        if (!edition) report(hsPath, 'no_hs_edition', `no Harmonized System edition is loaded for ${date}`);
        else
          report(
            hsPath,
            'unknown_hs_code',
            `HS subheading ${hs6} does not exist in ${edition}, in force on ${date}`,
          );
      }
    }
    if (item.originCountry !== undefined && !reference.isCountry(item.originCountry)) {
      checkCountry(report, reference, failed, itemPath(i, 'originCountry'), item.originCountry);
    }
    if (item.supplementaryUnit !== undefined && !reference.isUnit(item.supplementaryUnit)) {
      const unitPath = itemPath(i, 'supplementaryUnit');
      if (usable(failed, unitPath, item.supplementaryUnit)) {
        report(
          unitPath,
          'unknown_unit',
          `${unitPath} "${item.supplementaryUnit}" is not a UN/ECE Rec 20 unit`,
        );
      }
    }
    if (item.packageType !== undefined && !reference.isPackageType(item.packageType)) {
      const packagePath = itemPath(i, 'packageType');
      if (usable(failed, packagePath, item.packageType)) {
        report(
          packagePath,
          'unknown_package_type',
          `${packagePath} "${item.packageType}" is not a UN/ECE Rec 21 package type`,
        );
      }
    }
  });
}
