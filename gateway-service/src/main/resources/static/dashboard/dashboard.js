// meshrpc migration dashboard: polls the gateway's /api/v1/dashboard/* and draws with Chart.js. Each refresh reads
// this gateway's rates, the fleet summary, the table's page of nodes and the latest events: never the whole fleet.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const REFRESH_S = Math.max(1, Number(params.get('refresh')) || 3);
  const PAGE_SIZE = Math.min(500, Math.max(1, Number(params.get('pageSize')) || 50));
  const API = '/api/v1/dashboard';
  const COLORS = { zmq: '#2e7dd7', amqp: '#e8912d', none: '#999999' };
  let since = 0;
  let allowChanges = true;
  const policies = ['zmq-first', 'zmq', 'amqp'];

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    });
    children.flat().forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
    return e;
  }
  const pct = x => (x == null ? '–' : (100 * x).toFixed(1) + ' %');
  const num = x => (x == null ? '–' : (x >= 100 ? x.toFixed(0) : x.toFixed(2)));
  const time = ms => new Date(ms).toLocaleTimeString();

  function showError(message) {
    const box = document.getElementById('error');
    box.hidden = !message;
    box.textContent = message || '';
  }

  const json = (url, options) => parse(fetch(url, options));

  /** The body of an answer; an error with the problem's detail and field when it is not a 2xx. */
  async function parse(answer) {
    const response = await answer;
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const detail = body && (body.detail || body.title) ? body.detail || body.title : response.statusText;
      const field = body && body.field ? ' (field: ' + body.field + ')' : '';
      throw new Error(response.status + ': ' + detail + field);
    }
    return body;
  }

  // ---- charts ----
  const lineOptions = (yTitle) => ({
    animation: false, responsive: true, maintainAspectRatio: false,
    elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 2, tension: 0.2 } },
    interaction: { mode: 'index', intersect: false },
    scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true, title: { display: true, text: yTitle } } },
    plugins: { legend: { position: 'bottom' } }
  });
  /** A chart that is drawn for the first time with its first data: one drawing, not an empty one and a full one. */
  function chartSlot(canvas, config) {
    return {
      data: config.data, // Chart.js keeps this object as the chart's data
      draw() {
        if (this.chart) this.chart.update(); else this.chart = new Chart(document.getElementById(canvas), config);
      }
    };
  }
  const charts = {
    messages: chartSlot('chart-messages', {
      type: 'line', options: lineOptions('msgs/s'), data: { labels: [], datasets: [
        { label: 'sent zmq', borderColor: COLORS.zmq, backgroundColor: COLORS.zmq, data: [] },
        { label: 'sent amqp', borderColor: COLORS.amqp, backgroundColor: COLORS.amqp, data: [] },
        { label: 'received zmq', borderColor: COLORS.zmq, borderDash: [5, 4], backgroundColor: COLORS.zmq, data: [] },
        { label: 'received amqp', borderColor: COLORS.amqp, borderDash: [5, 4], backgroundColor: COLORS.amqp, data: [] }] }
    }),
    failovers: chartSlot('chart-failovers', {
      type: 'line', options: lineOptions('failovers/s'), data: { labels: [], datasets: [
        { label: 'failovers/s', borderColor: '#c0392b', backgroundColor: '#c0392b', data: [] }] }
    }),
    latency: chartSlot('chart-latency', {
      type: 'line', options: lineOptions('ms'), data: { labels: [], datasets: [
        { label: 'p50', borderColor: '#27ae60', backgroundColor: '#27ae60', data: [], spanGaps: true },
        { label: 'p95', borderColor: '#f39c12', backgroundColor: '#f39c12', data: [], spanGaps: true },
        { label: 'p99', borderColor: '#8e44ad', backgroundColor: '#8e44ad', data: [], spanGaps: true }] }
    }),
    share: chartSlot('chart-share', {
      type: 'bar',
      options: { animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
        scales: { x: { stacked: true, max: 100, title: { display: true, text: '% of messages' } }, y: { stacked: true } },
        plugins: { legend: { position: 'bottom' } } },
      data: { labels: [], datasets: [
        { label: 'zmq', backgroundColor: COLORS.zmq, data: [] },
        { label: 'amqp', backgroundColor: COLORS.amqp, data: [] }] }
    })
  };

  const MAX_POINTS = 150;
  function push(chart, label, values) {
    chart.data.labels.push(label);
    chart.data.datasets.forEach((d, i) => d.data.push(values[i]));
    while (chart.data.labels.length > MAX_POINTS) {
      chart.data.labels.shift();
      chart.data.datasets.forEach(d => d.data.shift());
    }
  }

  // ---- rates ----
  async function refreshRates(prefetched) {
    const rates = await (prefetched || json(API + '/rates?since=' + since));
    rates.points.forEach(p => {
      const label = time(p.time);
      const s = p.sentPerSecond || {}, r = p.receivedPerSecond || {};
      push(charts.messages, label, [s.zmq || 0, s.amqp || 0, r.zmq || 0, r.amqp || 0]);
      push(charts.failovers, label, [p.failoversPerSecond]);
      push(charts.latency, label, [p.p50Ms, p.p95Ms, p.p99Ms]);
      since = Math.max(since, p.time);
    });
    const last = rates.points[rates.points.length - 1];
    if (last) {
      const total = Object.values(last.sentPerSecond || {}).reduce((a, b) => a + b, 0)
        + Object.values(last.receivedPerSecond || {}).reduce((a, b) => a + b, 0);
      document.getElementById('tile-rate').textContent = num(total);
      document.getElementById('tile-failovers').textContent = num(last.failoversPerSecond);
    }
    ['messages', 'failovers', 'latency'].forEach(c => charts[c].draw());
  }

  // ---- fleet ----
  function policySelect(current) {
    const select = el('select', {});
    policies.forEach(p => { const o = el('option', { value: p }, p); if (p === current) o.selected = true; select.append(o); });
    return select;
  }
  function policyControls(scope, name, current) {
    const select = policySelect(current);
    const set = el('button', { 'data-scope': scope, 'data-name': name, class: 'set-policy',
      onclick: () => changePolicy(scope, name, select.value) }, 'set');
    const clear = el('button', { class: 'clear-policy', onclick: () => changePolicy(scope, name, null) }, 'clear');
    if (!allowChanges) { set.disabled = true; clear.disabled = true; select.disabled = true; }
    return el('span', { class: 'policy-controls', 'data-scope': scope, 'data-name': name }, select, set, clear);
  }
  function shareBar(share) {
    const bar = el('div', { class: 'bar', title: Object.entries(share).map(([k, v]) => k + ' ' + pct(v)).join(', ') });
    Object.entries(share).forEach(([k, v]) => {
      const part = el('div', { class: k === 'zmq' || k === 'amqp' ? k : 'other' });
      part.style.width = (100 * v) + '%';
      bar.append(part);
    });
    return bar;
  }
  function counts(sent, received) {
    const fmt = m => Object.entries(m).map(([k, v]) => k + ' ' + v).join(', ') || '–';
    return el('span', { class: 'small' }, 'sent: ' + fmt(sent), el('br'), 'received: ' + fmt(received));
  }

  // ---- tables that keep their rows ----
  /** A cell: text, or a function that builds its content, rebuilt only when {@code version} changes. */
  const cell = (content, className, version) => ({ content, className: className || '', version });

  function fillCell(td, c) {
    if (typeof c.content === 'function') {
      if (td.dataset.version !== c.version) {
        td.replaceChildren(...[c.content()].flat());
        td.dataset.version = c.version;
      }
    } else if (td.textContent !== String(c.content)) {
      td.textContent = c.content;
    }
    if (td.className !== c.className) td.className = c.className;
  }

  /**
   * One row per item, in order. The row of an item already shown (same {@code keyAttr} value) is kept and its
   * cells updated in place: a row being read, or a policy being picked in its select, is not replaced by the next
   * refresh.
   */
  function showRows(tbody, keyAttr, items, keyOf, cellsOf) {
    const shown = new Map([...tbody.rows].map(r => [r.getAttribute(keyAttr), r]));
    const rows = items.map(item => {
      const cells = cellsOf(item);
      let row = shown.get(keyOf(item));
      if (!row || row.cells.length !== cells.length) {
        row = el('tr', { [keyAttr]: keyOf(item) }, ...cells.map(() => el('td', {})));
      }
      cells.forEach((c, i) => fillCell(row.cells[i], c));
      return row;
    });
    if (rows.length !== tbody.rows.length || rows.some((r, i) => tbody.rows[i] !== r)) tbody.replaceChildren(...rows);
  }

  // ---- fleet: the matchmaker's summary and one page of nodes (never the whole fleet) ----
  const table = { offset: 0, limit: PAGE_SIZE, q: '', topic: '' };
  let requested = 0;       // sequence of node page requests: an older answer never replaces a newer one
  let fleetShare = {};     // fleet-wide share, from the summary
  let pageNodes = [];      // the table's page, for the share chart
  let topicNames = '';

  function drawShares() {
    charts.share.data.labels = ['fleet'].concat(pageNodes.map(n => n.nodeId));
    const shares = [fleetShare].concat(pageNodes.map(n => n.share));
    charts.share.data.datasets[0].data = shares.map(s => 100 * (s.zmq || 0));
    charts.share.data.datasets[1].data = shares.map(s => 100 * (s.amqp || 0));
    charts.share.draw();
  }

  function perPolicy(counts) {
    return Object.entries(counts || {}).filter(([, n]) => n > 0).map(([p, n]) => p + ' ' + n).join(', ') || '–';
  }

  function topicFilter(topics) {
    const names = topics.map(t => t.topic).join(',');
    if (names === topicNames) return;
    topicNames = names;
    const select = document.getElementById('node-topic');
    select.replaceChildren(el('option', { value: '' }, 'every topic'),
      ...topics.map(t => el('option', { value: t.topic }, t.topic)));
    select.value = topics.some(t => t.topic === table.topic) ? table.topic : '';
  }

  async function refreshSummary(prefetched) {
    const summary = await (prefetched || json(API + '/summary'));
    document.getElementById('tile-nodes').textContent = summary.count;
    document.getElementById('tile-zmq-live').textContent = summary.zmqLive + ' / ' + summary.count;
    document.getElementById('tile-share-zmq').textContent = pct(summary.share.zmq);
    document.getElementById('tile-share-amqp').textContent = pct(summary.share.amqp);
    ['zmq', 'zmq-first', 'amqp', 'none'].forEach(p =>
      document.getElementById('policy-' + p).textContent = (summary.policies || {})[p] || 0);

    showRows(document.querySelector('#topics tbody'), 'data-topic', summary.topics, t => t.topic, t => [
      cell(t.topic),
      cell(t.liveNodes, 'topic-nodes'),
      cell(t.policy || 'none (node configuration)', 'topic-policy'),
      cell(perPolicy(t.policies), 'topic-in-force small'),
      cell(() => policyControls('topics', t.topic, t.policy), '', allowChanges + ':' + t.policy)]);
    topicFilter(summary.topics);
    fleetShare = summary.share;
    return summary;
  }

  function nodeCells(n) {
    return [
      cell(n.nodeId),
      cell(n.state),
      cell(n.zmqLive ? 'live' : (n.transports.includes('zmq') ? 'down' : 'off'), n.zmqLive ? 'live' : 'down'),
      cell(n.heartbeatAgeSeconds == null ? '–' : n.heartbeatAgeSeconds.toFixed(1) + ' s ago'),
      cell(n.topics.join(', ')),
      cell((n.nodePolicy ? 'node: ' + n.nodePolicy + '; ' : '')
        + (Object.entries(n.policies).map(([t, p]) => t + ': ' + p).join(', ') || 'node configuration'), 'node-policy'),
      cell(() => [shareBar(n.share), el('span', { class: 'small' }, pct(n.share.zmq) + ' zmq')], '',
        JSON.stringify(n.share)),
      cell(() => counts(n.sent, n.received), '', JSON.stringify([n.sent, n.received])),
      cell(() => policyControls('nodes', n.nodeId, n.nodePolicy), '', allowChanges + ':' + n.nodePolicy)];
  }

  const nodesQuery = () =>
    new URLSearchParams({ offset: table.offset, limit: table.limit, q: table.q, topic: table.topic }).toString();

  async function refreshNodes(prefetched) {
    const key = nodesQuery();
    const sequence = ++requested;
    const page = await (prefetched || json(API + '/nodes?' + key));
    if (sequence !== requested) return page; // a newer search or page is on its way
    if (page.total > 0 && table.offset >= page.total) { // the fleet shrank under the page: go to the last one
      table.offset = Math.floor((page.total - 1) / table.limit) * table.limit;
      return refreshNodes();
    }
    showRows(document.querySelector('#nodes tbody'), 'data-node', page.nodes, n => n.nodeId, nodeCells);
    const first = page.nodes.length ? page.offset + 1 : 0;
    document.getElementById('page-info').textContent =
      first + '–' + (page.offset + page.nodes.length) + ' of ' + page.total + (table.q || table.topic ? ' matching' : '');
    document.getElementById('page-prev').disabled = table.offset === 0;
    document.getElementById('page-next').disabled = table.offset + table.limit >= page.total;
    document.getElementById('nodes').dataset.rendered = key;
    pageNodes = page.nodes;
    return page;
  }

  function showNodes() {
    refreshNodes().then(() => { drawShares(); showError(null); }).catch(e => showError('nodes: ' + e.message));
  }

  function pagerControls() {
    let typing;
    document.getElementById('node-search').addEventListener('input', e => {
      clearTimeout(typing);
      typing = setTimeout(() => { table.q = e.target.value.trim(); table.offset = 0; showNodes(); }, 200);
    });
    document.getElementById('node-topic').addEventListener('change', e => {
      table.topic = e.target.value; table.offset = 0; showNodes();
    });
    document.getElementById('page-prev').addEventListener('click', () => {
      table.offset = Math.max(0, table.offset - table.limit); showNodes();
    });
    document.getElementById('page-next').addEventListener('click', () => {
      table.offset += table.limit; showNodes();
    });
  }

  async function changePolicy(scope, name, policy) {
    try {
      if (policy) {
        await json(API + '/policies/' + scope + '/' + encodeURIComponent(name), {
          method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ policy })
        });
      } else {
        const response = await fetch(API + '/policies/' + scope + '/' + encodeURIComponent(name), { method: 'DELETE' });
        if (!response.ok && response.status !== 404) {
          const body = await response.json().catch(() => ({}));
          throw new Error(response.status + ': ' + (body.detail || response.statusText));
        }
      }
      document.getElementById('status').textContent =
        (policy ? 'set ' + scope + '/' + name + ' to ' + policy : 'cleared ' + scope + '/' + name) + ' at ' + time(Date.now());
      showError(null);
      await Promise.all([refreshSummary(), refreshNodes()]);
      drawShares();
    } catch (e) {
      showError('Policy change failed: ' + e.message);
    }
  }

  // ---- events: the latest notifications this gateway received (its listener pool gateway-feed) ----
  const EVENTS = 20;
  async function refreshEvents(prefetched) {
    const feed = await (prefetched || json(API + '/events?limit=' + EVENTS));
    const status = document.getElementById('events-status');
    document.getElementById('events').dataset.enabled = String(feed.enabled);
    if (!feed.enabled) {
      status.textContent = 'off: ' + (feed.detail || 'this gateway receives no events');
    } else {
      status.textContent = feed.events.length
        ? 'the latest ' + feed.events.length + ' of ' + feed.received + ' received by this gateway (topic '
          + feed.topic + ', pool ' + feed.pool + '), newest first'
        : 'no event received yet (topic ' + feed.topic + ', pool ' + feed.pool + ')';
    }
    showRows(document.querySelector('#events tbody'), 'data-event', feed.events, e => e.id, e => [
      cell(time(Date.parse(e.timestamp)), 'event-time'),
      cell(e.eventType, 'event-type' + (['error', 'critical'].includes(e.priority) ? ' down' : '')),
      cell(e.publisherId, 'event-publisher'),
      cell(e.summary, 'event-summary small')]);
    return feed;
  }

  let firstRender = null;
  async function tick(prefetched) {
    const first = prefetched || {};
    const errors = [];
    await Promise.all([
      refreshRates(first.rates).catch(e => errors.push('rates: ' + e.message)),
      refreshSummary(first.summary).catch(e => errors.push('summary: ' + e.message)),
      refreshNodes(first.nodes).catch(e => errors.push('nodes: ' + e.message)),
      refreshEvents(first.events).catch(e => errors.push('events: ' + e.message))]);
    drawShares();
    showError(errors.join(' · ') || null);
    document.getElementById('status').dataset.updated = String(Date.now());
    if (!errors.length) {
      document.getElementById('status').textContent = 'updated ' + time(Date.now());
      if (firstRender == null) {
        // milliseconds from the start of the page's navigation to the first complete render
        firstRender = performance.now();
        document.body.dataset.firstRenderMs = firstRender.toFixed(1);
        document.getElementById('first-render').textContent = Math.round(firstRender) + ' ms';
      }
    }
  }

  async function start() {
    document.getElementById('refresh').textContent = REFRESH_S;
    // the first data was asked for by index.html's head while the scripts loaded; without it, it is asked now
    const early = window.dashboardFirst || {};
    const first = { rates: parse(early.rates || fetch(API + '/rates?since=0')),
      summary: parse(early.summary || fetch(API + '/summary')),
      nodes: parse(early.nodes && early.nodesQuery === nodesQuery() ? early.nodes : fetch(API + '/nodes?' + nodesQuery())),
      events: parse(early.events || fetch(API + '/events?limit=' + EVENTS)) };
    Object.values(first).forEach(p => p.catch(() => {})); // failures are reported by the first tick
    const configured = parse(early.config || fetch(API + '/config'));
    if (typeof Chart === 'undefined') {
      showError('Chart.js did not load (/webjars/chart.js/...)');
      return;
    }
    pagerControls();
    try {
      const config = await configured;
      allowChanges = config.allowPolicyChanges;
      document.getElementById('matchmaker-url').textContent = config.matchmakerUrl;
    } catch (e) {
      showError('config: ' + e.message);
    }
    await tick(first);
    setInterval(tick, REFRESH_S * 1000);
  }
  start();
})();
