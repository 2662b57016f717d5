import { init, type EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef } from 'react';

/**
 * An ECharts chart drawn into the element the returned ref is given, from `option` (memoised by the
 * caller: a new option draws it again), following the window's size and disposed with the element.
 * The chart's own file registers the components it draws (`use([...])`), so each chart's bundle
 * holds only what it needs.
 */
export function useChart(option: EChartsCoreOption) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = init(ref.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return ref;
}
