import type { DefaultTheme } from 'vitepress'

/** A sidebar group of pages in one folder, given as [title, file name without .md]. */
function group(text: string, folder: string, pages: [string, string][]): DefaultTheme.SidebarItem {
  return {
    text,
    items: pages.map(([title, page]) => ({ text: title, link: `/${folder}/${page}` })),
  }
}

/** The sidebar of every page outside the API reference. */
export const guideSidebar: DefaultTheme.SidebarItem[] = [
  group('Getting started', 'start', [
    ['Vue', 'vue'],
    ['Svelte', 'svelte'],
    ['Plain TypeScript', 'typescript'],
    ['Node', 'node'],
  ]),
  group('Guides', 'guide', [
    ['Rooms and invites', 'rooms'],
    ['Group calls', 'group-calls'],
    ['Files and chat', 'files-and-chat'],
    ['Devices and screen share', 'devices'],
    ['Call quality', 'call-quality'],
    ['Healing and reconnection', 'healing'],
    ['TURN', 'turn'],
    ['Authentication', 'authentication'],
    ['Scaling out on Redis', 'scaling'],
    ['Deploying behind a proxy', 'proxy'],
    ['Deploying: a tested recipe', 'deploy'],
    ['Testing your app', 'testing'],
  ]),
  {
    text: 'Reference',
    items: [
      { text: 'State machines', link: '/machine' },
      { text: 'API', link: '/api/' },
    ],
  },
]
