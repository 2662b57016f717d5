import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  type GridComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { money } from '../format.ts';
import { useChart } from '../useChart.ts';
import type { ChapterRow } from './chapters.ts';

// only what this chart draws goes into its bundle (loaded when a table is drawn)
use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/**
 * Horizontal bars of the largest HS chapters by value. A confidential chapter has a row with no bar
 * and the word "confidential" where its value would be: its value is unknown, not zero.
 */
export function TopChart({ rows, currency, label }: { rows: ChapterRow[]; currency: string; label: string }) {
  const option = useMemo((): Option => {
    const shown = [...rows].reverse(); // the largest at the top
    return {
      animation: false,
      grid: { left: 16, right: 110, top: 8, bottom: 24, containLabel: true },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) =>
          v === null || v === undefined || v === '-' ? 'confidential' : money(Number(v), currency),
      },
      xAxis: { type: 'value', name: currency, axisLabel: { color: '#1b1f24' } },
      yAxis: {
        type: 'category',
        data: shown.map((r) => `HS ${r.chapter}${r.value === null ? ' (confidential)' : ''}`),
        axisLabel: { color: '#1b1f24' },
      },
      series: [
        {
          type: 'bar',
          name: 'Value',
          color: '#1d4ed8',
          data: shown.map((r) => (r.value === null ? '-' : r.value)),
          label: {
            show: true,
            position: 'right',
            color: '#1b1f24',
            formatter: (p) => {
              const row = shown[p.dataIndex];
              return row?.value === null ? 'confidential' : money(Number(p.value));
            },
          },
        },
      ],
    };
  }, [rows, currency]);
  const ref = useChart(option);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={label}
      className="chart"
      style={{ height: Math.max(160, rows.length * 28 + 48) }}
    />
  );
}
