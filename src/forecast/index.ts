/** The forecaster the rest of Clearway uses: see forecaster.ts for its contract, selection.ts for the methods. */
import type { Forecaster } from './forecaster.ts';
import { seasonalForecast } from './selection.ts';

export type { Forecast, ForecastPoint, Forecaster } from './forecaster.ts';

export const forecast: Forecaster = seasonalForecast;
