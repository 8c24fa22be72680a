// meshrpc migration dashboard: polls the gateway's /api/v1/dashboard/* and draws with Chart.js.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const REFRESH_S = Math.max(1, Number(params.get('refresh')) || 3);
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

  async function json(url, options) {
    const response = await fetch(url, options);
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
  const charts = {};
  function makeCharts() {
    charts.messages = new Chart(document.getElementById('chart-messages'), {
      type: 'line', options: lineOptions('msgs/s'), data: { labels: [], datasets: [
        { label: 'sent zmq', borderColor: COLORS.zmq, backgroundColor: COLORS.zmq, data: [] },
        { label: 'sent amqp', borderColor: COLORS.amqp, backgroundColor: COLORS.amqp, data: [] },
        { label: 'received zmq', borderColor: COLORS.zmq, borderDash: [5, 4], backgroundColor: COLORS.zmq, data: [] },
        { label: 'received amqp', borderColor: COLORS.amqp, borderDash: [5, 4], backgroundColor: COLORS.amqp, data: [] }] }
    });
    charts.failovers = new Chart(document.getElementById('chart-failovers'), {
      type: 'line', options: lineOptions('failovers/s'), data: { labels: [], datasets: [
        { label: 'failovers/s', borderColor: '#c0392b', backgroundColor: '#c0392b', data: [] }] }
    });
    charts.latency = new Chart(document.getElementById('chart-latency'), {
      type: 'line', options: lineOptions('ms'), data: { labels: [], datasets: [
        { label: 'p50', borderColor: '#27ae60', backgroundColor: '#27ae60', data: [], spanGaps: true },
        { label: 'p95', borderColor: '#f39c12', backgroundColor: '#f39c12', data: [], spanGaps: true },
        { label: 'p99', borderColor: '#8e44ad', backgroundColor: '#8e44ad', data: [], spanGaps: true }] }
    });
    charts.share = new Chart(document.getElementById('chart-share'), {
      type: 'bar',
      options: { animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
        scales: { x: { stacked: true, max: 100, title: { display: true, text: '% of messages' } }, y: { stacked: true } },
        plugins: { legend: { position: 'bottom' } } },
      data: { labels: [], datasets: [
        { label: 'zmq', backgroundColor: COLORS.zmq, data: [] },
        { label: 'amqp', backgroundColor: COLORS.amqp, data: [] }] }
    });
  }

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
  async function refreshRates() {
    const rates = await json(API + '/rates?since=' + since);
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
    ['messages', 'failovers', 'latency'].forEach(c => charts[c].update());
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

  async function refreshFleet() {
    const fleet = await json(API + '/fleet');
    document.getElementById('tile-nodes').textContent = fleet.count;
    document.getElementById('tile-zmq-live').textContent = fleet.zmqLive + ' / ' + fleet.count;
    document.getElementById('tile-share-zmq').textContent = pct(fleet.share.zmq);
    document.getElementById('tile-share-amqp').textContent = pct(fleet.share.amqp);

    const topics = document.querySelector('#topics tbody');
    topics.replaceChildren(...Object.entries(fleet.topics).map(([topic, policy]) =>
      el('tr', { 'data-topic': topic }, el('td', {}, topic),
        el('td', { class: 'topic-policy' }, policy || 'none (node configuration)'),
        el('td', {}, policyControls('topics', topic, policy)))));

    const nodes = document.querySelector('#nodes tbody');
    nodes.replaceChildren(...fleet.nodes.map(n => el('tr', { 'data-node': n.nodeId },
      el('td', {}, n.nodeId),
      el('td', {}, n.state),
      el('td', { class: n.zmqLive ? 'live' : 'down' }, n.zmqLive ? 'live' : (n.transports.includes('zmq') ? 'down' : 'off')),
      el('td', {}, n.heartbeatAgeSeconds == null ? '–' : n.heartbeatAgeSeconds.toFixed(1) + ' s ago'),
      el('td', {}, n.topics.join(', ')),
      el('td', { class: 'node-policy' }, (n.nodePolicy ? 'node: ' + n.nodePolicy + '; ' : '')
        + (Object.entries(n.policies).map(([t, p]) => t + ': ' + p).join(', ') || 'node configuration')),
      el('td', {}, shareBar(n.share), el('span', { class: 'small' }, pct(n.share.zmq) + ' zmq')),
      el('td', {}, counts(n.sent, n.received)),
      el('td', {}, policyControls('nodes', n.nodeId, n.nodePolicy)))));

    charts.share.data.labels = ['fleet'].concat(fleet.nodes.map(n => n.nodeId));
    const shares = [fleet.share].concat(fleet.nodes.map(n => n.share));
    charts.share.data.datasets[0].data = shares.map(s => 100 * (s.zmq || 0));
    charts.share.data.datasets[1].data = shares.map(s => 100 * (s.amqp || 0));
    charts.share.update();
    return fleet;
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
      await refreshFleet();
    } catch (e) {
      showError('Policy change failed: ' + e.message);
    }
  }

  async function tick() {
    const errors = [];
    await refreshRates().catch(e => errors.push('rates: ' + e.message));
    await refreshFleet().catch(e => errors.push('fleet: ' + e.message));
    showError(errors.join(' · ') || null);
    document.getElementById('status').dataset.updated = String(Date.now());
    if (!errors.length) document.getElementById('status').textContent = 'updated ' + time(Date.now());
  }

  async function start() {
    document.getElementById('refresh').textContent = REFRESH_S;
    try {
      const config = await json(API + '/config');
      allowChanges = config.allowPolicyChanges;
      document.getElementById('matchmaker-url').textContent = config.matchmakerUrl;
    } catch (e) {
      showError('config: ' + e.message);
    }
    if (typeof Chart === 'undefined') {
      showError('Chart.js did not load (/webjars/chart.js/...)');
      return;
    }
    makeCharts();
    await tick();
    setInterval(tick, REFRESH_S * 1000);
  }
  start();
})();
