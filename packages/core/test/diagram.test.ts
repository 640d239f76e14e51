import { describe, expect, it } from 'vitest'
import {
  type AnyStateMachine,
  type AnyStateNode,
  and,
  fromPromise,
  not,
  setup,
  stateIn,
} from 'xstate'
import { callMachine, peerMachine } from '../src'
import { toMarkdownTable, toMermaid, toTransitionTable } from '../src/diagram'

const yes = () => true

/** Nested, parallel, guarded, delayed, eventless and final states, all in one small machine. */
const sample = setup({
  guards: {
    canGo: yes,
    sessionIs: (_: unknown, _params: { status: string }) => true,
    inRange: (_: unknown, _params: { min: number; max: number }) => true,
    isDone: yes,
  },
  delays: { RETRY_DELAY: 500 },
}).createMachine({
  id: 'sample',
  initial: 'idle',
  on: { RESET: '.idle', LOG: { actions: [] } },
  states: {
    idle: {
      on: {
        GO: [
          { guard: 'canGo', target: 'busy' },
          { guard: { type: 'sessionIs', params: { status: 'connected' } }, target: 'busy.two' },
          { guard: { type: 'inRange', params: { min: 1, max: 2 } }, target: 'both' },
          { guard: and(['canGo', not('isDone')]), target: 'done' },
          { guard: stateIn('idle'), target: 'done' },
          { actions: [] },
        ],
      },
    },
    busy: {
      initial: 'one',
      after: { 2000: 'idle', RETRY_DELAY: { target: 'busy', reenter: true } },
      states: {
        one: { always: { guard: 'isDone', target: 'two' } },
        two: { always: 'three' },
        three: { type: 'final' },
      },
      onDone: 'done',
    },
    both: {
      type: 'parallel',
      states: {
        left: { initial: 'idle', states: { idle: { on: { LEFT: 'busy' } }, busy: {} } },
        right: { initial: 'idle', states: { idle: {}, busy: {} } },
      },
    },
    done: { type: 'final' },
  },
})

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim())
}

describe('toMermaid', () => {
  const text = toMermaid(sample)

  it('should start a stateDiagram-v2 with the machine as the outer box', () => {
    expect(text.startsWith('stateDiagram-v2\n  state "sample" as sample {\n')).toBe(true)
    expect(text.endsWith('\n')).toBe(true)
  })

  it('should draw compound states as blocks with their initial state', () => {
    expect(text).toContain(
      [
        '    state "busy" as sample_busy {',
        '      [*] --> sample_busy_one',
        '      state "one" as sample_busy_one',
        '      state "two" as sample_busy_two',
        '      state "three" as sample_busy_three',
        '      sample_busy_three --> [*]',
        '    }',
      ].join('\n'),
    )
  })

  it('should separate the regions of a parallel state with --', () => {
    expect(text).toContain(
      [
        '    state "both" as sample_both {',
        '      state "left" as sample_both_left {',
        '        [*] --> sample_both_left_idle',
        '        state "idle" as sample_both_left_idle',
        '        state "busy" as sample_both_left_busy',
        '      }',
        '      --',
        '      state "right" as sample_both_right {',
      ].join('\n'),
    )
    expect(text).not.toContain('[*] --> sample_both_left\n')
  })

  it('should end final states in their parent block', () => {
    expect(lines(text)).toContain('sample_done --> [*]')
    expect(lines(text)).toContain('sample_busy_three --> [*]')
  })

  it('should give same-named states under different parents distinct ids', () => {
    expect(lines(text)).toContain('state "idle" as sample_idle')
    expect(lines(text)).toContain('state "idle" as sample_both_left_idle')
    expect(lines(text)).toContain('state "idle" as sample_both_right_idle')
    expect(lines(text)).toContain('sample_both_left_idle --> sample_both_left_busy : LEFT')
  })

  it('should label guarded transitions with the guard, parameters included', () => {
    expect(lines(text)).toEqual(
      expect.arrayContaining([
        'sample_idle --> sample_busy : GO [canGo]',
        'sample_idle --> sample_busy_two : GO [sessionIs(connected)]',
        'sample_idle --> sample_both : GO [inRange(min=1, max=2)]',
        'sample_idle --> sample_done : GO [and(canGo, not(isDone))]',
        'sample_idle --> sample_done : GO [stateIn(idle)]',
      ]),
    )
  })

  it('should label eventless transitions as always', () => {
    expect(lines(text)).toContain('sample_busy_one --> sample_busy_two : always [isDone]')
    expect(lines(text)).toContain('sample_busy_two --> sample_busy_three : always')
  })

  it('should label delayed transitions with the delay in ms or its name', () => {
    expect(lines(text)).toContain('sample_busy --> sample_idle : after 2000ms')
    expect(lines(text)).toContain('sample_busy --> sample_busy : after RETRY_DELAY')
  })

  it('should label onDone and draw transitions declared on the machine from its box', () => {
    expect(lines(text)).toContain('sample_busy --> sample_done : onDone')
    expect(lines(text)).toContain('sample --> sample_idle : RESET')
  })

  it('should omit transitions without a target', () => {
    expect(text).not.toContain('LOG')
    expect(text.match(/ : GO/g)).toHaveLength(5)
  })

  it('should keep ids Mermaid-safe and unique when keys only differ by punctuation', () => {
    const machine = setup({}).createMachine({
      id: 'my-app.v2',
      initial: 'a-b',
      states: { 'a-b': { on: { 'x;y': 'a_b' } }, a_b: { on: { 'end:': 'a-b', 'ns::go': 'a-b' } } },
    })
    const out = toMermaid(machine)
    expect(lines(out)).toEqual(
      expect.arrayContaining([
        'state "my-app.v2" as my_app_v2 {',
        'state "a-b" as my_app_v2_a_b',
        'state "a_b" as my_app_v2_a_b_2',
        'my_app_v2_a_b --> my_app_v2_a_b_2 : x,y',
        'my_app_v2_a_b_2 --> my_app_v2_a_b : end∶',
        'my_app_v2_a_b_2 --> my_app_v2_a_b : ns∶:go',
      ]),
    )
  })

  it('should make ids that start with a letter and avoid Mermaid keywords', () => {
    expect(toMermaid(setup({}).createMachine({ id: '1st' }))).toContain('as m_1st')
    expect(toMermaid(setup({}).createMachine({ id: 'click' }))).toContain('as click_')
  })

  it('should set the layout direction when asked', () => {
    expect(toMermaid(sample, { direction: 'LR' })).toContain('stateDiagram-v2\n  direction LR\n')
  })
})

describe('toTransitionTable', () => {
  const rows = toTransitionTable(sample)

  it('should list every transition with its source, trigger, guard and target', () => {
    expect(rows).toEqual(
      expect.arrayContaining([
        { source: '(root)', event: 'RESET', guard: '', target: 'idle' },
        { source: 'idle', event: 'GO', guard: 'sessionIs(connected)', target: 'busy.two' },
        { source: 'busy', event: 'onDone', guard: '', target: 'done' },
        { source: 'busy', event: 'after 2000ms', guard: '', target: 'idle' },
        { source: 'busy', event: 'after RETRY_DELAY', guard: '', target: 'busy' },
        { source: 'busy.one', event: 'always', guard: 'isDone', target: 'busy.two' },
        { source: 'both.left.idle', event: 'LEFT', guard: '', target: 'both.left.busy' },
      ]),
    )
  })

  it('should keep targetless transitions, with target —', () => {
    expect(rows).toContainEqual({ source: '(root)', event: 'LOG', guard: '', target: '—' })
    expect(rows).toContainEqual({ source: 'idle', event: 'GO', guard: '', target: '—' })
  })

  it('should list states in document order, each with its transitions in declared order', () => {
    expect(rows.map((row) => row.source)).toEqual([
      '(root)',
      '(root)',
      ...Array(6).fill('idle'),
      'busy',
      'busy',
      'busy',
      'busy.one',
      'busy.two',
      'both.left.idle',
    ])
  })

  it('should name invoke outcomes after the invoked actor', () => {
    const machine = setup({ actors: { fetch: fromPromise(async () => 'data') } }).createMachine({
      initial: 'loading',
      states: {
        loading: {
          invoke: { id: 'fetcher', src: 'fetch', onDone: 'ok', onError: 'ko' },
        },
        ok: {},
        ko: {},
      },
    })
    expect(toTransitionTable(machine).map((row) => row.event)).toEqual([
      'onDone(fetcher)',
      'onError(fetcher)',
    ])
  })
})

describe('toMarkdownTable', () => {
  it('should render rows as a Markdown table with code spans and escaped pipes', () => {
    const table = toMarkdownTable([
      { source: 'idle', event: 'SIGNAL.*', guard: 'a|b', target: '—' },
      { source: '(root)', event: 'GO', guard: '', target: 'busy, idle' },
    ])
    expect(table).toBe(
      [
        '| Source | Event | Guard | Target |',
        '| --- | --- | --- | --- |',
        '| `idle` | `SIGNAL.*` | `a\\|b` | — |',
        '| `(root)` | `GO` |  | `busy, idle` |',
        '',
      ].join('\n'),
    )
  })
})

describe.each([
  ['call', callMachine],
  ['peer', peerMachine],
])('toMermaid on the real %s machine', (_name, machine: AnyStateMachine) => {
  const all = lines(toMermaid(machine))
  // Walked here independently of the generator, straight from xstate's StateNode API.
  const idOf = (node: AnyStateNode) => [machine.id, ...node.path].join('_')
  const visit = (node: AnyStateNode): AnyStateNode[] => [
    node,
    ...Object.values<AnyStateNode>(node.states).flatMap(visit),
  ]
  const nodes = visit(machine.root)

  it('should declare every state of the machine', () => {
    for (const node of nodes) {
      const block = node.type === 'compound' || node.type === 'parallel' ? ' {' : ''
      const declared = (line: string) =>
        line.startsWith(`state "${node.key}`) && line.endsWith(`" as ${idOf(node)}${block}`)
      expect(all.some(declared), `state ${node.id}`).toBe(true)
    }
  })

  it('should draw an edge for every transition that has a target', () => {
    const edges = nodes.flatMap((node) =>
      [...[...node.transitions.values()].flat(), ...(node.always ?? [])].flatMap((transition) =>
        (transition.target ?? []).map((target) => `${idOf(node)} --> ${idOf(target)} : `),
      ),
    )
    expect(edges.length).toBeGreaterThan(0)
    for (const edge of edges) {
      expect(
        all.some((line) => line.startsWith(edge)),
        `edge ${edge}`,
      ).toBe(true)
    }
  })

  it('should only write edges Mermaid can parse', () => {
    // `id --> id : label` or the [*] pseudo-state; a label never holds Mermaid's `;` separator.
    const edge = /^(\[\*\]|[A-Za-z][A-Za-z0-9_]*) --> (\[\*\]|[A-Za-z][A-Za-z0-9_]*)( : [^;]+)?$/
    for (const line of all.filter((l) => l.includes(' --> '))) expect(line).toMatch(edge)
  })
})
