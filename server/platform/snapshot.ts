import type { Db } from '../db'

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/**
 * Iterates `produce` inside one read-only REPEATABLE READ transaction, handing each value to the
 * consumer and waiting for it to ask for the next (backpressure), so a streamed answer reads
 * one consistent snapshot without holding it all in memory. The transaction ends when the
 * consumer finishes or stops early.
 */
export function iterateInSnapshot<T>(db: Db, produce: (tx: Db) => AsyncIterable<T>): AsyncGenerator<T> {
  return (async function* () {
    let next = deferred<IteratorResult<T, undefined>>()
    let wanted = deferred<boolean>()
    const finished = db.transaction(async (tx) => {
      for await (const value of produce(tx as unknown as Db)) {
        next.resolve({ value, done: false })
        const more = await wanted.promise
        wanted = deferred()
        if (!more) return
      }
    }, { isolationLevel: 'repeatable read', accessMode: 'read only' })
      .then(() => next.resolve({ value: undefined, done: true }), (error: unknown) => next.reject(error))
    try {
      for (;;) {
        const step = await next.promise
        if (step.done) return
        next = deferred()
        yield step.value
        wanted.resolve(true)
      }
    }
    finally {
      wanted.resolve(false)
      await finished
    }
  })()
}
