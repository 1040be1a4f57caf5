import { Agent, request } from 'node:http'

// A minimal closed-loop HTTP load generator: `connections` keep-alive clients each issuing
// requests back to back for `seconds`. Returns throughput and latency percentiles.

export interface LoadResult {
  requests: number
  errors: number
  rps: number
  p50: number
  p99: number
}

export async function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  const target = new URL(url)
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + seconds * 1000
  const one = () => new Promise<void>((resolve) => {
    const t0 = performance.now()
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent }, (res) => {
      res.resume()
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - t0)
        else errors++
        resolve()
      })
    })
    req.on('error', () => {
      errors++
      resolve()
    })
    req.end()
  })
  const started = performance.now()
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) await one()
  }))
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: at(50), p99: at(99) }
}
