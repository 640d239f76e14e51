import type { MarkdownRenderer } from 'vitepress'

/**
 * Turns ```mermaid fences into `<MermaidDiagram>` (a client component that lazy-loads mermaid),
 * so docs/machine.md stays plain Markdown that also reads well on a code host.
 */
export function mermaidFences(md: MarkdownRenderer): void {
  const fence = md.renderer.rules.fence
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index]
    if (token?.info.trim() !== 'mermaid') return fence?.(tokens, index, options, env, self) ?? ''
    return `<MermaidDiagram code="${encodeURIComponent(token.content)}" />`
  }
}
