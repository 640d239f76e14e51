import type { TransitionRow } from './diagram.types'

// Code spans keep `*` wildcards and `_` literal; `|` still needs escaping inside a table cell.
function cell(text: string): string {
  if (text === '' || text === '—') return text
  const ticks = text.includes('`') ? '``' : '`'
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text
  return `${ticks}${padded.replace(/\|/g, '\\|')}${ticks}`
}

/** Renders transition rows as a GitHub-flavoured Markdown table. */
export function toMarkdownTable(rows: readonly TransitionRow[]): string {
  const lines = [
    '| Source | Event | Guard | Target |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (row) => `| ${[row.source, row.event, row.guard, row.target].map(cell).join(' | ')} |`,
    ),
  ]
  return `${lines.join('\n')}\n`
}
