import { LineChart, type LineSeriesOption } from 'echarts/charts';
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
import { useChart } from '../useChart.ts';
import type { SeriesDetail } from './types.ts';

// only what this chart draws goes into its bundle, loaded when a series is first drawn
use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/** Colours with at least 3:1 contrast on white; history and forecast differ in dash too. */
const colour = {
  history: '#1d4ed8',
  forecast: '#7c3aed',
  band80: 'rgba(124, 58, 237, 0.28)',
  band95: 'rgba(124, 58, 237, 0.12)',
};

/**
 * History as a solid line, the forecast as a dashed one, and its 80% and 95% prediction bands as
 * shaded areas (each band drawn as a transparent lower edge with its width stacked on top).
 */
export function ForecastChart({ detail, label }: { detail: SeriesDetail; label: string }) {
  const option = useMemo((): Option => {
    const { history, forecast } = detail;
    const periods = [...history.map((h) => h.period), ...forecast.map((f) => f.period)];
    const gap = history.map(() => null);
    const band = (name: string, lower: number[], upper: number[], fill: string): LineSeriesOption[] => [
      {
        name: `${name} lower`,
        type: 'line',
        stack: name,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        data: [...gap, ...lower],
        tooltip: { show: false },
      },
      {
        name,
        type: 'line',
        stack: name,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: fill },
        color: fill,
        data: [...gap, ...upper.map((u, i) => u - (lower[i] ?? 0))],
      },
    ];
    return {
      animation: false,
      grid: { left: 64, right: 24, top: 48, bottom: 32 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['History', 'Forecast', '80% interval', '95% interval'] },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', min: 0 },
      series: [
        ...band(
          '95% interval',
          forecast.map((f) => f.lower95),
          forecast.map((f) => f.upper95),
          colour.band95,
        ),
        ...band(
          '80% interval',
          forecast.map((f) => f.lower80),
          forecast.map((f) => f.upper80),
          colour.band80,
        ),
        {
          name: 'History',
          type: 'line',
          color: colour.history,
          symbol: 'circle',
          data: history.map((h) => h.value),
        },
        {
          name: 'Forecast',
          type: 'line',
          color: colour.forecast,
          symbol: 'diamond',
          lineStyle: { type: 'dashed', width: 2 },
          data: [...gap, ...forecast.map((f) => f.mean)],
        },
      ],
    };
  }, [detail]);

  const ref = useChart(option);
  return <div ref={ref} role="img" aria-label={label} className="chart" style={{ height: 320 }} />;
}
