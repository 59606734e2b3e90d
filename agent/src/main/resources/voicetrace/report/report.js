// Draws the sessions table, a session's conversation and each turn's waterfall from the JSON
// data above. Text from calls is only ever set as textContent or an attribute value, never parsed
// as markup. Only the visible page of sessions and of turns is in the DOM at any time.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('vt-data').textContent);
  var SESSIONS_PER_PAGE = 50;
  var TURNS_PER_PAGE = 20;
  var SVG = 'http://www.w3.org/2000/svg';
  var FIGURES = [
    ['stt_latency_ms', 'STT'], ['llm_time_to_first_token_ms', 'LLM first token'],
    ['tts_time_to_first_byte_ms', 'TTS first byte'], ['voice_to_voice_ms', 'voice-to-voice'],
    ['llm_latency_ms', 'LLM']
  ];
  var FIRST_OUTPUT = { stt: 'first transcript', llm: 'first token', tts: 'first audio byte' };

  var sessions = data.sessions.map(function (s, i) {
    return { index: i, id: s[0], start: s[1], duration: s[2], turns: s[3], tokens: s[4], cost: s[5],
      errors: s[6], interruptions: s[7], incomplete: s[8], service: s[9], turnList: [] };
  });
  data.turns.forEach(function (t) { sessions[t.s].turnList.push(t); });
  sessions.forEach(function (s) {
    s.turnList.sort(function (a, b) { return (a.n - b.n) || (a.a - b.a); });
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function ms(v) { return v === undefined || v === null ? '\u2013' : v.toFixed(1) + ' ms'; }
  function usd(v) { return v >= 100 ? '$' + v.toFixed(2) : '$' + v.toFixed(6); }
  function int(v) { return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function when(epochMs) { return epochMs ? new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : ''; }
  function duration(v) { return v >= 60000 ? (v / 60000).toFixed(1) + ' min' : v >= 1000 ? (v / 1000).toFixed(1) + ' s' : ms(v); }

  // ---- sessions table: sorted, filtered, paged ----
  var sortKey = 'start', sortDir = 1, page = 0, filter = '', selected = -1;
  var table = document.getElementById('session-table');
  var tbody = table.querySelector('tbody');
  var pager = document.getElementById('session-pager');

  function visibleSessions() {
    var list = filter ? sessions.filter(function (s) { return s.id.toLowerCase().indexOf(filter) >= 0; }) : sessions.slice();
    list.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      return (x < y ? -1 : x > y ? 1 : a.index - b.index) * sortDir;
    });
    return list;
  }

  function renderSessions() {
    var list = visibleSessions();
    var pages = Math.max(1, Math.ceil(list.length / SESSIONS_PER_PAGE));
    page = Math.min(page, pages - 1);
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    list.slice(page * SESSIONS_PER_PAGE, (page + 1) * SESSIONS_PER_PAGE).forEach(function (s) {
      var row = el('tr', { 'data-session': s.index });
      if (s.errors > 0) { row.classList.add('has-error'); }
      if (s.interruptions > 0) { row.classList.add('has-interruption'); }
      if (s.index === selected) { row.classList.add('selected'); }
      row.appendChild(el('td', { 'class': 'id' }, s.id));
      row.appendChild(el('td', null, when(s.start)));
      row.appendChild(el('td', { 'class': 'num' }, duration(s.duration)));
      row.appendChild(el('td', { 'class': 'num' }, s.turns));
      row.appendChild(el('td', { 'class': 'num' }, int(s.tokens)));
      row.appendChild(el('td', { 'class': 'num' }, usd(s.cost)));
      row.appendChild(el('td', { 'class': 'num' }, s.errors));
      row.appendChild(el('td', { 'class': 'num' }, s.interruptions));
      row.addEventListener('click', function () { location.hash = 'session-' + s.index; });
      tbody.appendChild(row);
    });
    table.querySelectorAll('th').forEach(function (th) {
      th.classList.toggle('sorted-asc', th.getAttribute('data-key') === sortKey && sortDir === 1);
      th.classList.toggle('sorted-desc', th.getAttribute('data-key') === sortKey && sortDir === -1);
    });
    renderPager(pager, page, pages, list.length, 'sessions', function (p) { page = p; renderSessions(); });
  }

  function renderPager(container, current, pages, total, noun, go) {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    var previous = el('button', { type: 'button' }, '\u2039 previous');
    previous.disabled = current === 0;
    previous.addEventListener('click', function () { go(current - 1); });
    var next = el('button', { type: 'button' }, 'next \u203a');
    next.disabled = current >= pages - 1;
    next.addEventListener('click', function () { go(current + 1); });
    container.appendChild(previous);
    container.appendChild(el('span', { 'class': 'page-info' }, 'page ' + (current + 1) + ' of ' + pages + ' (' + int(total) + ' ' + noun + ')'));
    container.appendChild(next);
  }

  table.querySelectorAll('th').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      sortDir = key === sortKey ? -sortDir : (key === 'id' || key === 'start' ? 1 : -1);
      sortKey = key;
      page = 0;
      renderSessions();
    });
  });
  document.getElementById('session-filter').addEventListener('input', function (e) {
    filter = e.target.value.trim().toLowerCase();
    page = 0;
    renderSessions();
  });

  // ---- conversation of one session ----
  var conversation = document.getElementById('conversation');
  var body = document.getElementById('conversation-body');

  function showSession(index, turnPage, highlight) {
    var s = sessions[index];
    if (!s) { return; }
    selected = index;
    renderSessions();
    conversation.hidden = false;
    while (body.firstChild) { body.removeChild(body.firstChild); }
    var head = el('div', { 'class': 'session-head' });
    head.appendChild(el('h3', { id: 'conversation-title', 'class': 'id' }, s.id));
    head.appendChild(el('span', { 'class': 'meta' }, when(s.start) + ' \u00b7 ' + s.turns + ' turns \u00b7 ' + int(s.tokens)
      + ' tokens \u00b7 ' + usd(s.cost) + (s.service ? ' \u00b7 ' + s.service : '')));
    body.appendChild(head);
    var legend = el('p', { 'class': 'legend' });
    [['stt', 'STT'], ['llm', 'LLM'], ['tool', 'tool'], ['tts', 'TTS'], ['other', 'other']].forEach(function (k) {
      var item = el('span');
      item.appendChild(el('span', { 'class': 'swatch stage-' + k[0] }));
      item.appendChild(document.createTextNode(k[1]));
      legend.appendChild(item);
    });
    legend.appendChild(el('span', null, '\u25c7 first token / first audio byte; red bracket: voice-to-voice; click a bar for its details'));
    body.appendChild(legend);
    var pages = Math.max(1, Math.ceil(s.turnList.length / TURNS_PER_PAGE));
    var current = Math.max(0, Math.min(turnPage || 0, pages - 1));
    var turnPager = el('div', { 'class': 'pager', id: 'turn-pager' });
    if (pages > 1) {
      renderPager(turnPager, current, pages, s.turnList.length, 'turns', function (p) { showSession(index, p); });
      body.appendChild(turnPager);
    }
    s.turnList.slice(current * TURNS_PER_PAGE, (current + 1) * TURNS_PER_PAGE).forEach(function (t) {
      body.appendChild(renderTurn(t, t === highlight));
    });
    if (highlight) {
      var target = document.getElementById('turn-' + highlight.i);
      if (target) { target.scrollIntoView({ block: 'start' }); }
    } else {
      conversation.scrollIntoView({ block: 'start' });
    }
  }

  function renderTurn(t, highlighted) {
    var errors = t.o.filter(function (o) { return o.e; }).length;
    var interrupted = t.o.filter(function (o) { return o.x; }).length;
    var article = el('article', { 'class': 'turn', id: 'turn-' + t.i, 'data-turn': t.i, 'data-trace': t.t });
    if (errors) { article.classList.add('has-error'); }
    if (highlighted) { article.classList.add('highlight'); }
    var title = el('h3');
    title.appendChild(el('span', null, 'Turn ' + (t.n || '?')));
    title.appendChild(el('span', { 'class': 'meta' }, when(t.a) + ' \u00b7 ' + duration(t.d) + ' \u00b7 ' + int(t.k) + ' tokens \u00b7 ' + usd(t.c)));
    if (errors) { title.appendChild(el('span', { 'class': 'badge' }, errors + (errors === 1 ? ' error' : ' errors'))); }
    if (interrupted) { title.appendChild(el('span', { 'class': 'badge interrupted' }, 'interrupted')); }
    if (!t.f) { title.appendChild(el('span', { 'class': 'badge incomplete', title: 'the turn\u2019s root span was not in the files' }, 'incomplete')); }
    article.appendChild(title);
    if (t.u !== null && t.u !== undefined) { article.appendChild(bubble('caller', 'caller', t.u)); }
    // Tool calls come between the caller's words and the reply, as they happened.
    t.o.forEach(function (o) {
      (o.tc || []).forEach(function (call) { article.appendChild(bubble('tool', 'tool call', call)); });
    });
    if (t.r !== null && t.r !== undefined) { article.appendChild(bubble('reply', 'spoken reply', t.r)); }
    var figures = el('div', { 'class': 'figures' });
    FIGURES.forEach(function (f) {
      if (t.m[f[0]] !== undefined) {
        figures.appendChild(el('span', { 'class': 'figure', 'data-figure': f[0] }, f[1] + ' ' + ms(t.m[f[0]])));
      }
    });
    article.appendChild(figures);
    var details = el('div', { 'class': 'details' });
    article.appendChild(waterfall(t, details));
    article.appendChild(details);
    return article;
  }

  function bubble(kind, who, text) {
    var b = el('div', { 'class': 'bubble ' + kind });
    b.appendChild(el('span', { 'class': 'who' }, who));
    b.appendChild(document.createTextNode(text));
    return b;
  }

  function waterfall(t, details) {
    var width = 1000, label = 230, right = 20, row = 22, top = 26;
    var span = Math.max(t.d, 0.001);
    t.o.forEach(function (o) { span = Math.max(span, o.a + o.d); });
    var plot = width - label - right;
    var height = top + t.o.length * row + 22;
    var x = function (v) { return label + Math.max(0, v) / span * plot; };
    var chart = svg('svg', { 'class': 'waterfall', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'waterfall of turn ' + (t.n || '') });
    var ticks = 5;
    for (var i = 0; i <= ticks; i++) {
      var v = span * i / ticks;
      chart.appendChild(svg('line', { 'class': 'grid', x1: x(v), x2: x(v), y1: top - 6, y2: height - 18 }));
      chart.appendChild(svg('text', { x: x(v), y: height - 4, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle' }, ms(v)));
    }
    var stt = null, tts = null;
    t.o.forEach(function (o, index) {
      var y = top + index * row;
      if (o.g === 'stt' && !stt) { stt = o; }
      if (o.g === 'tts' && !tts && o.f !== undefined) { tts = o; }
      chart.appendChild(svg('text', { 'class': 'label', x: 4, y: y + 15 }, o.n.length > 36 ? o.n.slice(0, 35) + '\u2026' : o.n));
      var bar = svg('rect', { 'class': 'bar ' + o.g + (o.e ? ' error' : '') + (o.x ? ' interrupted' : ''),
        'data-stage': o.g, x: x(o.a), y: y + 3, width: Math.max(2, o.d / span * plot), height: row - 6, rx: 2 });
      bar.appendChild(svg('title', null, o.n + ': ' + ms(o.d) + (o.m ? ', ' + o.m : '') + (o.k !== undefined ? ', ' + int(o.k) + ' tokens' : '')
        + (o.c !== undefined ? ', ' + usd(o.c) : '') + (o.e ? ', error: ' + o.e : '') + (o.x ? ', interrupted' : '')));
      bar.addEventListener('click', function () {
        chart.querySelectorAll('rect.bar.selected').forEach(function (b) { b.classList.remove('selected'); });
        bar.classList.add('selected');
        showDetails(details, o, t.nt);
      });
      chart.appendChild(bar);
      if (o.f !== undefined) {
        var fx = x(o.f), fy = y + row / 2;
        var marker = svg('path', { 'class': 'marker', d: 'M' + fx + ' ' + (fy - 6) + ' L' + (fx + 5) + ' ' + fy + ' L' + fx + ' ' + (fy + 6) + ' L' + (fx - 5) + ' ' + fy + ' Z' });
        marker.appendChild(svg('title', null, (FIRST_OUTPUT[o.g] || 'first output') + ' at ' + ms(o.f - o.a) + ' after the call started'));
        chart.appendChild(marker);
      }
    });
    if (stt && tts && t.m.voice_to_voice_ms !== undefined) {
      var x1 = x(stt.a + stt.d), x2 = x(tts.f), yb = top - 10;
      chart.appendChild(svg('path', { 'class': 'v2v', d: 'M' + x1 + ' ' + (yb + 6) + ' L' + x1 + ' ' + yb + ' L' + x2 + ' ' + yb + ' L' + x2 + ' ' + (yb + 6) }));
      chart.appendChild(svg('text', { 'class': 'v2v-label', x: (x1 + x2) / 2, y: yb - 3, 'text-anchor': 'middle' },
        'voice-to-voice ' + ms(t.m.voice_to_voice_ms)));
    }
    return chart;
  }

  function showDetails(container, o, withoutText) {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    var table = el('table', { 'class': 'data observation-details' });
    var rows = [['call', o.n], ['type', o.y + (o.g !== 'other' ? ' (' + o.g + ')' : '')], ['provider', o.p], ['model', o.m],
      ['start', '+' + ms(o.a)], ['duration', ms(o.d)], [FIRST_OUTPUT[o.g] || 'first output', o.f !== undefined ? '+' + ms(o.f - o.a) + ' after start' : null],
      ['tokens', o.k !== undefined ? int(o.k) : null], ['usage', o.us], ['cost', o.c !== undefined ? usd(o.c) : null],
      ['parameters', o.q], ['input', o['in']], ['output', o.out], ['error', o.e], ['interrupted', o.x ? 'yes' : null], ['metadata', o.md]];
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined) { return; }
      var tr = el('tr');
      tr.appendChild(el('th', null, r[0]));
      tr.appendChild(el('td', { 'class': r[0] === 'input' || r[0] === 'output' || r[0] === 'usage' || r[0] === 'parameters' ? 'text' : '' }, r[1]));
      table.appendChild(tr);
    });
    container.appendChild(table);
    if (withoutText) {
      container.appendChild(el('p', { 'class': 'meta' }, 'Inputs and outputs of this turn are not in the page (see the note at the top); the events file has them.'));
    }
  }

  // ---- links: #session-N and #turn-N ----
  function route() {
    var m = /^#(session|turn)-(\d+)$/.exec(location.hash);
    if (!m) { return; }
    var n = parseInt(m[2], 10);
    if (m[1] === 'session') {
      showSession(n, 0);
    } else if (data.turns[n]) {
      var t = data.turns[n];
      var s = sessions[t.s];
      showSession(t.s, Math.floor(s.turnList.indexOf(t) / TURNS_PER_PAGE), t);
    }
  }
  window.addEventListener('hashchange', route);
  renderSessions();
  route();
  document.body.setAttribute('data-ready', 'true');
})();
