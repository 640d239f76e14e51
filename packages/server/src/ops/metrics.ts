/** Label values of one series, by label name. */
export type Labels = Readonly<Record<string, string>>

/** A metric that renders itself in the Prometheus text format (version 0.0.4). */
export interface Metric {
  /** The `# HELP`, `# TYPE` and sample lines. */
  render(): string
}

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

function labelText(labels: Labels): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`
}

const header = (name: string, help: string, type: string): string =>
  `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`

/** A monotonically increasing count, optionally split by labels. */
export class Counter implements Metric {
  readonly #series = new Map<string, number>()

  /**
   * @param name metric name, e.g. `duet_joins_total`
   * @param help one-line description
   */
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  // The unlabelled series is a plain field: `duet_relays_total` goes up on every relay, and a
  // number add costs nothing next to formatting labels into a map key.
  #plain = 0

  /** Adds `amount` (default 1) to the series with these labels. */
  inc(labels?: Labels, amount = 1): void {
    if (labels === undefined) {
      this.#plain += amount
      return
    }
    const key = labelText(labels)
    if (key === '') {
      this.#plain += amount
      return
    }
    this.#series.set(key, (this.#series.get(key) ?? 0) + amount)
  }

  /** The current value of one series; for tests. */
  get(labels: Labels = {}): number {
    const key = labelText(labels)
    return key === '' ? this.#plain : (this.#series.get(key) ?? 0)
  }

  render(): string {
    let text = header(this.name, this.help, 'counter')
    // An unlabelled counter shows 0 before its first event, so dashboards see the series.
    if (this.#plain > 0 || this.#series.size === 0) text += `${this.name} ${this.#plain}\n`
    for (const [labels, value] of this.#series) text += `${this.name}${labels} ${value}\n`
    return text
  }
}

/** A value read at scrape time. */
export class Gauge implements Metric {
  /**
   * @param name metric name
   * @param help one-line description
   * @param read returns the current value
   */
  constructor(
    readonly name: string,
    readonly help: string,
    readonly read: () => number,
  ) {}

  render(): string {
    return `${header(this.name, this.help, 'gauge')}${this.name} ${this.read()}\n`
  }
}

/** Observations counted into cumulative buckets (seconds, by Prometheus convention). */
export class Histogram implements Metric {
  readonly #counts: number[]
  #sum = 0
  #count = 0

  /**
   * @param name metric name, e.g. `duet_relay_duration_seconds`
   * @param help one-line description
   * @param buckets upper bounds, ascending
   */
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.#counts = buckets.map(() => 0)
  }

  /**
   * Records one observation. Only the first bucket that holds it is counted here; render adds
   * the buckets up into Prometheus' cumulative form, so an observation is one loop and one add.
   */
  observe(value: number): void {
    this.#sum += value
    this.#count += 1
    const { buckets } = this
    for (let index = 0; index < buckets.length; index++) {
      if (value <= buckets[index]!) {
        this.#counts[index]! += 1
        return
      }
    }
  }

  /** Number of observations so far; for tests. */
  get count(): number {
    return this.#count
  }

  render(): string {
    let text = header(this.name, this.help, 'histogram')
    let cumulative = 0
    for (const [index, bound] of this.buckets.entries()) {
      cumulative += this.#counts[index]!
      text += `${this.name}_bucket{le="${bound}"} ${cumulative}\n`
    }
    text += `${this.name}_bucket{le="+Inf"} ${this.#count}\n`
    text += `${this.name}_sum ${this.#sum}\n${this.name}_count ${this.#count}\n`
    return text
  }
}

/** The content type Prometheus expects for the text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** Renders metrics one after another, as `/metrics` serves them. */
export function renderMetrics(metrics: readonly Metric[]): string {
  return metrics.map((metric) => metric.render()).join('')
}
