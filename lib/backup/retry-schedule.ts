// Sidekiq's default retry schedule, which the VA.gov backup jobs use: the n-th retry (n from 0)
// waits n⁴ + 15 + rand(10)·(n + 1) seconds; 16 retries span about three days. `timeFactor`
// compresses it for demos and tests (RETRY_TIME_FACTOR).
export function retryDelaySeconds(retryCount: number, options: { timeFactor?: number; random?: () => number } = {}) {
  const random = options.random ?? Math.random;
  const n = retryCount;
  const seconds = n ** 4 + 15 + Math.floor(random() * 10) * (n + 1);
  return seconds / (options.timeFactor ?? 1);
}

export function retriesExhausted(retryNumber: number, maxRetries: number) {
  return retryNumber >= maxRetries;
}
