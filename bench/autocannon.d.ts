// The part of autocannon's API the webhook benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram { p50: number; p90: number; p99: number; max: number; average: number }
  export interface Result { latency: Histogram; requests: Histogram & { total: number }; errors: number; timeouts: number; non2xx: number; '2xx': number; duration: number }
  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    overallRate?: number;
    duration?: number;
    amount?: number;
    tlsOptions?: Record<string, unknown>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
