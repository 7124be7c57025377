// The slice of autocannon's API the benchmarks use (it ships no types of its own).
declare module 'autocannon' {
  interface Histogram {
    average: number
    mean: number
    p50: number
    p90: number
    p99: number
    max: number
    total: number
  }
  export interface Options {
    url: string
    connections?: number
    duration?: number
    pipelining?: number
    headers?: Record<string, string>
    method?: string
    /** Each request in turn; `setupRequest` may rewrite it (path, headers) before it is sent. */
    requests?: Array<{ setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }>
  }
  export interface Result {
    requests: Histogram
    latency: Histogram
    throughput: Histogram
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
  }
  function autocannon(opts: Options): Promise<Result>
  export default autocannon
}
