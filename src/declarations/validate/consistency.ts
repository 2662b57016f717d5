/** Layer 4, consistency: fields and items agree with each other. */
import type { DeclarationDraft, Report } from './context.ts';
import { itemPath } from './context.ts';

export function checkConsistency(d: DeclarationDraft, report: Report): void {
  const items = d.items ?? [];
  const seen = new Set<number>();
  let sum = 0;
  items.forEach((item, i) => {
    if (item.sequence !== undefined) {
      if (seen.has(item.sequence)) {
        report(
          itemPath(i, 'sequence'),
          'duplicate_sequence',
          `goods item sequence ${item.sequence} is used twice`,
        );
      }
      seen.add(item.sequence);
    }
    if (item.netMass !== undefined && item.grossMass !== undefined && item.grossMass < item.netMass) {
      report(
        itemPath(i, 'grossMass'),
        'gross_below_net',
        `gross mass ${item.grossMass} is below net mass ${item.netMass}`,
      );
    }
    if ((item.supplementaryQuantity === undefined) !== (item.supplementaryUnit === undefined)) {
      const path = itemPath(
        i,
        item.supplementaryUnit === undefined ? 'supplementaryUnit' : 'supplementaryQuantity',
      );
      report(path, 'quantity_without_unit', 'a supplementary quantity and its unit go together');
    }
    if (item.packageCount !== undefined && item.packageType === undefined) {
      report(itemPath(i, 'packageType'), 'package_type_missing', 'a package count needs a package type');
    }
    sum += item.value ?? 0;
  });
  if (d.invoiceTotal !== undefined && items.length > 0) {
    const tolerance = Math.max(1, d.invoiceTotal * 0.01);
    if (Math.abs(d.invoiceTotal - sum) > tolerance) {
      report(
        'invoiceTotal',
        'invoice_total_mismatch',
        `invoice total ${d.invoiceTotal} differs from the sum of item values ${round2(sum)}`,
        'warning',
      );
    }
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
