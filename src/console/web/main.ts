// Hash router over the pages; each page renders into #page and returns a function that stops its timers.
import { clearError, get, showError } from './api.js';
import { h } from './dom.js';
import { aclPage } from './pages/acl.js';
import { clusterPage } from './pages/cluster.js';
import { consumerPage } from './pages/consumer.js';
import { dashboardPage } from './pages/dashboard.js';
import { dlqPage } from './pages/dlq.js';
import { messagePage } from './pages/message.js';
import { opsPage } from './pages/ops.js';
import { producerPage } from './pages/producer.js';
import { topicPage } from './pages/topic.js';
import { tracePage } from './pages/trace.js';

export type Page = (root: HTMLElement, query: URLSearchParams) => (() => void) | undefined;

const PAGES: Array<[string, string, Page]> = [
  ['dashboard', 'Dashboard', dashboardPage],
  ['cluster', 'Cluster', clusterPage],
  ['topic', 'Topic', topicPage],
  ['consumer', 'Consumer', consumerPage],
  ['producer', 'Producer', producerPage],
  ['message', 'Message', messagePage],
  ['trace', 'Trace', tracePage],
  ['dlq', 'DLQ', dlqPage],
  ['acl', 'ACL', aclPage],
  ['ops', 'Ops', opsPage],
];

let stop: (() => void) | undefined;

function route(): void {
  const [name = 'dashboard', qs = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const entry = PAGES.find(([n]) => n === name) ?? PAGES[0]!;
  stop?.();
  clearError();
  for (const a of document.querySelectorAll('#nav a'))
    a.classList.toggle('active', a.getAttribute('href') === `#/${entry[0]}`);
  const root = document.getElementById('page')!;
  root.replaceChildren();
  root.dataset.page = entry[0];
  stop = entry[2](root, new URLSearchParams(qs));
}

function boot(): void {
  const nav = document.getElementById('nav')!;
  for (const [n, title] of PAGES) nav.append(h('a', { href: `#/${n}` }, title));
  window.addEventListener('hashchange', route);
  get<{ currentNamesrv: string }>('/ops/homePage.query')
    .then((o) => {
      document.getElementById('namesrv')!.textContent = `name server ${o.currentNamesrv}`;
    })
    .catch(showError);
  route();
}

boot();
