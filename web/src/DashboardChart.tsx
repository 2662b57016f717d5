import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useChart } from './useChart.ts';

// only what the dashboards draw goes into their bundle
use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export interface Stack {
  name: string;
  colour: string;
  data: number[];
}

export interface Line {
  name: string;
  colour: string;
  /** shares in [0, 1]; null where there is nothing to measure */
  data: (number | null)[];
}

/**
 * Bars stacked per period, one colour per key, and optionally a line of shares on a second axis
 * in percent (dashed, so it does not depend on colour alone). `label` says in words what the chart
 * shows; the numbers themselves are in the table that goes with it.
 */
export function StackedChart({
  periods,
  stacks,
  unit,
  whole = false,
  line,
  label,
}: {
  periods: string[];
  stacks: Stack[];
  unit: string;
  /** counts, so the axis never shows half a declaration */
  whole?: boolean;
  line?: Line;
  label: string;
}) {
  const option = useMemo((): Option => {
    const axes: NonNullable<Option['yAxis']> = [
      { type: 'value', name: unit, min: 0, ...(whole ? { minInterval: 1 } : {}) },
    ];
    if (line) axes.push({ type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } });
    return {
      animation: false,
      grid: { left: 64, right: line ? 48 : 16, top: 48 + 20 * Math.floor(stacks.length / 5), bottom: 32 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, type: 'plain' },
      xAxis: { type: 'category', data: periods },
      yAxis: axes,
      series: [
        ...stacks.map((s): BarSeriesOption => ({
          name: s.name,
          type: 'bar',
          stack: 'total',
          color: s.colour,
          data: s.data,
        })),
        ...(line
          ? [
              {
                name: line.name,
                type: 'line',
                yAxisIndex: 1,
                color: line.colour,
                symbol: 'circle',
                symbolSize: 6,
                lineStyle: { type: 'dashed', width: 2 },
                data: line.data.map((x) => (x === null ? null : Math.round(x * 1000) / 10)),
              } satisfies LineSeriesOption,
            ]
          : []),
      ],
    };
  }, [periods, stacks, unit, whole, line]);

  const ref = useChart(option);
  return <div ref={ref} role="img" aria-label={label} className="chart" style={{ height: 320 }} />;
}
