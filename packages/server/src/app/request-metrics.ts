import type { Registry } from 'prom-client';

/** Upper bounds (seconds) of the request duration histogram's buckets. */
export const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
];

const REQUESTS = 'plugboard_http_requests_total';
const DURATIONS = 'plugboard_http_request_duration_seconds';

interface Series {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  count: number;
  seconds: number;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly buckets: number[];
}

type Labels = Record<string, string>;
interface MetricValue {
  readonly labels: Labels;
  readonly value: number;
  readonly metricName?: string;
}

/**
 * Request counts by method, route and status, and durations by method and route, as Prometheus
 * series. A response costs one Map lookup and a few additions on plain numbers (prom-client's
 * labelled `inc`/`observe` hash and validate the labels on every call, a noticeable part of a
 * cached read); the series are built when `/metrics` is scraped, through the registry's
 * collector interface (`get()`), so they print like any prom-client metric.
 */
export class RequestMetrics {
  readonly #series = new Map<string, Series>();

  /** Counts one response. `route` is the route's pattern, never the raw URL. */
  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      series = {
        method,
        route,
        status: String(status),
        count: 0,
        seconds: 0,
        buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
      };
      this.#series.set(key, series);
    }
    series.count += 1;
    series.seconds += seconds;
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > (DURATION_BUCKETS[bucket] ?? Infinity)) {
      bucket += 1;
    }
    series.buckets[bucket] = (series.buckets[bucket] ?? 0) + 1;
  }

  /** Adds both metrics to a prom-client registry (its collector interface: name, help, type, get). */
  registerIn(registry: Registry): void {
    const metric = (name: string, help: string, type: string, values: () => MetricValue[]) => ({
      name,
      help,
      type,
      get: () => Promise.resolve({ name, help, type, values: values(), aggregator: 'sum' }),
    });
    registry.registerMetric(
      metric(REQUESTS, 'HTTP requests by method, route and status', 'counter', () =>
        this.#counts(),
      ) as never,
    );
    registry.registerMetric(
      metric(DURATIONS, 'HTTP request duration by method and route', 'histogram', () =>
        this.#durations(),
      ) as never,
    );
  }

  #counts(): MetricValue[] {
    return [...this.#series.values()].map((series) => ({
      labels: { method: series.method, route: series.route, status: series.status },
      value: series.count,
    }));
  }

  /** Cumulative buckets, sum and count per method and route (statuses added together). */
  #durations(): MetricValue[] {
    const byRoute = new Map<
      string,
      { labels: Labels; buckets: number[]; sum: number; count: number }
    >();
    for (const series of this.#series.values()) {
      const key = `${series.method} ${series.route}`;
      let route = byRoute.get(key);
      if (route === undefined) {
        route = {
          labels: { method: series.method, route: series.route },
          buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
          sum: 0,
          count: 0,
        };
        byRoute.set(key, route);
      }
      series.buckets.forEach(
        (n, index) => (route.buckets[index] = (route.buckets[index] ?? 0) + n),
      );
      route.sum += series.seconds;
      route.count += series.count;
    }
    const values: MetricValue[] = [];
    for (const route of byRoute.values()) {
      let cumulative = 0;
      route.buckets.forEach((n, index) => {
        cumulative += n;
        const le = index < DURATION_BUCKETS.length ? String(DURATION_BUCKETS[index]) : '+Inf';
        values.push({
          metricName: `${DURATIONS}_bucket`,
          labels: { ...route.labels, le },
          value: cumulative,
        });
      });
      values.push({ metricName: `${DURATIONS}_sum`, labels: route.labels, value: route.sum });
      values.push({ metricName: `${DURATIONS}_count`, labels: route.labels, value: route.count });
    }
    return values;
  }
}
