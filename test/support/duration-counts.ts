import { metricsRegistry } from '../../libs/core/src/metrics/metrics';

/** This process's request counts from the HTTP duration histogram, keyed `app method route status`. */
export async function durationCounts(): Promise<Map<string, number>> {
  const json = await metricsRegistry().getMetricsAsJSON();
  const histogram = json.find((m) => m.name === 'hydrant_http_request_duration_seconds')!;
  const counts = new Map<string, number>();
  for (const v of histogram.values as Array<{ metricName?: string; labels: Record<string, string | number>; value: number }>) {
    if (v.metricName !== 'hydrant_http_request_duration_seconds_count') continue;
    const { app, method, route, status_code } = v.labels;
    counts.set(`${app} ${method} ${route} ${status_code}`, v.value);
  }
  return counts;
}
