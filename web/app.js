/*
 * limber's phone page: the daemon's control protocol over POST /api/cmd,
 * its state from GET /api/status once a second, history and routines as
 * JSON. No framework; Chart.js (Debian's) draws the charts, and every chart
 * has its numbers in a table for a screen reader.
 */
'use strict';

const PLACES = [
  ['lower-back', 'The lower back', 'at the belt line, worse after sitting, stiff'],
  ['upper-back', 'The upper back', 'between the shoulder blades, rounded shoulders'],
  ['sciatic', 'Sciatic pain', 'shooting down a leg or into the buttock'],
  ['hip', 'The hips', 'a deep ache, tight at the front, trouble lunging'],
  ['neck', 'The neck', 'at its base, headaches, shoulders raised'],
];
const LEVELS = ['beginner', 'intermediate', 'advanced'];
const TABS = ['now', 'progress', 'routines', 'settings'];

let routines = [];
let history = null;
let lastSpoken = '';
let timer = null;
const charts = {};

const $ = (id) => document.getElementById(id);
const el = (tag, props, ...kids) => {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const k of kids) e.append(k);
  return e;
};

function clock(s) {
  if (s === null || s === undefined || s < 0) return '–';
  s = Math.round(s);
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

function say(text) {
  $('message').textContent = text;
}

/* ---- the PIN and commands ---- */

function askPin() {
  return new Promise((resolve) => {
    const d = $('pin-dialog');
    const done = (pin) => { d.close(); resolve(pin); };
    $('pin-form').onsubmit = (ev) => {
      ev.preventDefault();
      const pin = $('pin').value.trim();
      if (!/^[0-9]{4,12}$/.test(pin)) return;
      localStorage.setItem('limber-pin', pin);
      done(pin);
    };
    $('pin-cancel').onclick = () => done(null);
    d.showModal();
    $('pin').focus();
  });
}

async function authed(method, url, body) {
  for (let tries = 0; tries < 2; tries++) {
    let pin = localStorage.getItem('limber-pin');
    if (!pin) pin = await askPin();
    if (!pin) return null;
    const r = await fetch(url, {
      method, body, cache: 'no-store',
      headers: { 'Authorization': 'Bearer ' + pin, 'Content-Type': 'text/plain' },
    });
    if (r.status !== 401) return r;
    localStorage.removeItem('limber-pin');
    say('That PIN was not right.');
  }
  return null;
}

async function command(line) {
  try {
    const r = await authed('POST', 'api/cmd', line);
    if (!r) return;
    const text = (await r.text()).trim();
    say(r.ok ? '' : text.replace(/^error: /, ''));
    poll();
  } catch (e) {
    say('The device did not answer.');
  }
}

/* ---- Now ---- */

function showStatus(st) {
  const playing = st.state === 'playing' || st.state === 'paused';
  const words = {
    idle: 'Idle', offering: 'The menu is speaking', playing: 'Playing', paused: 'Paused',
    asking: 'Asking for a pain rating', stopping: 'Stopping',
  };
  let line = words[st.state] || st.state;
  if (playing && st.title) line += ': ' + st.title;
  if (line !== lastSpoken) {
    $('state-line').textContent = line;
    lastSpoken = line;
  }
  $('s-routine').textContent = st.title || st.routine || st.selected || '–';
  $('s-step').textContent = st.step ? st.step + ' of ' + st.steps + (st.step_name ? ': ' + st.step_name : '') : '–';
  $('s-side').textContent = st.side === 'left' ? 'Left' : st.side === 'right' ? 'Right' : '–';
  $('s-hold').textContent = clock(st.remaining_s);
  $('s-left').textContent = clock(st.session_left_s);
  $('s-streak').textContent = st.streak_days + (st.streak_days === 1 ? ' day' : ' days');
  /* One button, the protocol's own words: pause while it plays, resume while paused. */
  $('b-toggle').textContent = st.state === 'paused' ? 'Resume' : 'Pause';
  $('b-toggle').dataset.cmd = st.state === 'paused' ? 'resume' : 'pause';
}

async function poll() {
  try {
    const r = await fetch('api/status', { cache: 'no-store' });
    if (r.ok) showStatus(await r.json());
  } catch (e) {
    $('state-line').textContent = 'The device does not answer.';
    lastSpoken = '';
  }
}

function levelReached(area) {
  const a = history && history.areas.find((x) => x.area === area);
  return a ? a.level : 'beginner';
}

/* As the daemon's guided choice: the level reached, else the nearest below, else above. */
function programmeFor(area) {
  const want = LEVELS.indexOf(levelReached(area));
  const of = routines.filter((r) => r.area === area);
  const order = [want, ...[...Array(want).keys()].reverse(), ...[1, 2].map((d) => want + d)];
  for (const i of order) {
    const r = of.find((x) => x.level === LEVELS[i]);
    if (r) return r;
  }
  return null;
}

function buildPlaces() {
  const box = $('places');
  box.textContent = '';
  for (const [area, name, signs] of PLACES) {
    if (!routines.some((r) => r.area === area)) continue;
    const id = 'place-' + area;
    const input = el('input', { type: 'radio', name: 'place', id, value: area });
    const label = el('label', { htmlFor: id }, name, el('small', {}, signs));
    box.append(el('div', { className: 'place' }, input, label));
  }
  $('where').onchange = () => {
    const r = programmeFor($('where').place.value);
    $('where-offer').textContent = r ? r.title + ', ' + r.level + ', ' + Math.round(r.length_s / 60) + ' minutes.' : '';
  };
  $('where').onsubmit = (ev) => {
    ev.preventDefault();
    const area = $('where').place.value;
    if (!area) { say('Choose where it hurts first.'); return; }
    const r = programmeFor(area);
    if (r) command('start ' + r.name);
  };
}

/* ---- Routines ---- */

function buildRoutines() {
  const list = $('routine-list');
  list.textContent = '';
  const areas = [...new Set(routines.map((r) => r.area))];
  for (const area of areas) {
    const sec = el('section', {}, el('h3', {}, area));
    for (const r of routines.filter((x) => x.area === area)) {
      const steps = el('ol');
      for (const s of r.steps) {
        let what = s.flow ? 'paced, ' + s.reps + ' reps' : (s.reps > 1 ? s.reps + ' × ' : '') + s.hold_s + ' s';
        if (s.sides.length) what += ', each side';
        steps.append(el('li', {}, s.name + ' (' + what + ')'));
      }
      const dl = el('dl');
      const add = (k, v) => dl.append(el('dt', {}, k), el('dd', {}, v));
      add('Area', r.area);
      add('Level', r.level);
      add('Length', Math.round(r.length_s / 60) + ' minutes');
      add('Equipment', r.equipment.length ? r.equipment.join(', ') : 'none');
      add('Mornings', r.morning_caution ? 'deep bends: not in the first hour after waking' : 'fine after waking');
      const play = el('button', { type: 'button', className: 'play' }, 'Play');
      play.setAttribute('aria-label', 'Play ' + r.title + (r.title.includes(r.level) ? '' : ', ' + r.level));
      play.dataset.name = r.name;
      play.onclick = () => { command('start ' + r.name); location.hash = '#now'; };
      const details = el('details', {}, el('summary', {}, r.steps.length + ' steps'), steps);
      sec.append(el('article', { className: 'routine' },
        el('h4', {}, r.title + ' (' + r.name + ')'), dl, details, play));
    }
    list.append(sec);
  }
}

/* ---- Progress ---- */

function dayKey(t) {
  const d = new Date(t * 1000);
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}

function table(id, caption, head, rows) {
  const t = $(id);
  t.textContent = '';
  t.append(el('caption', {}, caption));
  const hr = el('tr');
  for (const h of head) hr.append(el('th', { scope: 'col' }, h));
  t.append(el('thead', {}, hr));
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    row.forEach((v, i) => tr.append(i ? el('td', {}, String(v)) : el('th', { scope: 'row' }, String(v))));
    body.append(tr);
  }
  t.append(body);
}

function chart(id, config) {
  if (!window.Chart) return;   /* the tables still say it all */
  if (charts[id]) charts[id].destroy();
  const css = getComputedStyle(document.documentElement);
  Chart.defaults.color = css.getPropertyValue('--fg').trim();
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
    plugins: { legend: { display: config.data.datasets.length > 1 } } }, config.options || {});
  charts[id] = new Chart($(id), config);
}

function buildProgress() {
  const h = history;
  const finished = h.sessions.filter((s) => s.how === 'finished');
  $('streak-line').textContent = h.streak_days + (h.streak_days === 1 ? ' day' : ' days') + ' in a row, ' +
    finished.length + ' finished sessions in all.';

  /* The calendar: eight weeks, Monday first, a mark on each day with a finished session. */
  const done = new Set(finished.map((s) => dayKey(s.started)));
  const cal = $('calendar');
  cal.textContent = '';
  const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const hr = el('tr', {}, el('th', { scope: 'col' }, 'Week of'));
  for (const n of names) hr.append(el('th', { scope: 'col' }, n));
  cal.append(el('thead', {}, hr));
  const today = new Date(h.now * 1000);
  today.setHours(12, 0, 0, 0);
  const monday = new Date(today);
  monday.setDate(today.getDate() - ((today.getDay() + 6) % 7) - 7 * 7);
  const body = el('tbody');
  for (let w = 0; w < 8; w++) {
    const start = new Date(monday);
    start.setDate(monday.getDate() + 7 * w);
    const tr = el('tr', {}, el('th', { scope: 'row' }, start.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })));
    for (let d = 0; d < 7; d++) {
      const day = new Date(start);
      day.setDate(start.getDate() + d);
      const key = dayKey(day.getTime() / 1000);
      const td = el('td');
      if (day > today) {
        td.className = 'future';
        td.textContent = '';
      } else if (done.has(key)) {
        td.className = 'done';
        td.textContent = '✓';
        td.title = key + ': practised';
      }
      td.append(el('span', { className: 'sr-only' }, done.has(key) ? 'practised' : 'no session'));
      tr.append(td);
    }
    body.append(tr);
  }
  cal.append(body);

  /* Pain before and after, per area. */
  const pained = h.areas.filter((a) => a.pain_first !== null);
  table('pain-table', 'Pain before and after, by area (0 to 10)', ['Area', 'First week', 'Last 7 days'],
    pained.map((a) => [a.area, a.pain_first, a.pain_recent]));
  chart('pain-chart', { type: 'bar', data: { labels: pained.map((a) => a.area), datasets: [
    { label: 'First week', data: pained.map((a) => a.pain_first), backgroundColor: '#b7791f' },
    { label: 'Last 7 days', data: pained.map((a) => a.pain_recent), backgroundColor: '#1d7a63' }] },
    options: { scales: { y: { min: 0, max: 10 } } } });

  /* Each rating, oldest first. */
  const rated = h.sessions.filter((s) => s.pain !== null).slice().reverse();
  table('rating-table', 'Pain after each session (0 to 10)', ['Day', 'Routine', 'Pain'],
    rated.map((s) => [dayKey(s.started), s.routine, s.pain]));
  chart('rating-chart', { type: 'line', data: { labels: rated.map((s) => dayKey(s.started).slice(5)),
    datasets: [{ label: 'Pain', data: rated.map((s) => s.pain), borderColor: '#1d7a63', backgroundColor: '#1d7a63' }] },
    options: { scales: { y: { min: 0, max: 10 } } } });

  /* Minutes a week, the last eight weeks, the current one last. */
  const weeks = [];
  for (let w = 0; w < 8; w++) {
    const start = new Date(monday);
    start.setDate(monday.getDate() + 7 * w);
    start.setHours(0, 0, 0, 0);
    const end = new Date(start);
    end.setDate(start.getDate() + 7);
    const secs = h.sessions.filter((s) => s.started * 1000 >= start && s.started * 1000 < end)
      .reduce((n, s) => n + Math.max(0, (s.ended || s.started) - s.started), 0);
    weeks.push([start.toLocaleDateString(undefined, { day: 'numeric', month: 'short' }), Math.round(secs / 60)]);
  }
  table('minutes-table', 'Minutes a week', ['Week of', 'Minutes'], weeks);
  chart('minutes-chart', { type: 'bar', data: { labels: weeks.map((w) => w[0]),
    datasets: [{ label: 'Minutes', data: weeks.map((w) => w[1]), backgroundColor: '#1d7a63' }] } });

  table('levels', 'The level reached in each area', ['Area', 'Level', 'Days of practice in 14', 'Ready for the next'],
    h.areas.map((a) => [a.area, a.level, a.days, a.ready ? 'yes' : 'not yet']));
  const adv = $('advice');
  adv.textContent = '';
  for (const a of h.areas) adv.append(el('li', {}, a.advice));
}

/* ---- Settings ---- */

async function loadSettings() {
  const r = await fetch('api/settings', { cache: 'no-store' });
  const { settings: s, voices } = await r.json();
  const sel = $('f-voice');
  sel.textContent = '';
  for (const v of voices) sel.append(el('option', { value: v, selected: v === s.voice }, v));
  $('f-volume').value = s.volume_db;
  $('f-lead').value = s.lead_in_ms / 1000;
  $('f-tone').checked = s.lead_in_tone;
  $('f-morning').value = s.morning_until === '00:00' ? '' : s.morning_until;
  for (const t of ['morning', 'midday', 'evening']) $('f-t-' + t).checked = s.timers[t];
}

async function saveSettings(ev) {
  ev.preventDefault();
  const body = JSON.stringify({
    voice: $('f-voice').value,
    volume_db: Number($('f-volume').value),
    lead_in_ms: Math.round(Number($('f-lead').value) * 1000),
    lead_in_tone: $('f-tone').checked,
    morning_until: $('f-morning').value || '00:00',
    timers: { morning: $('f-t-morning').checked, midday: $('f-t-midday').checked, evening: $('f-t-evening').checked },
  });
  const r = await authed('PUT', 'api/settings', body);
  if (!r) return;
  say(r.ok ? 'Settings saved.' : 'Not saved: ' + (await r.text()).trim());
}

/* ---- pages ---- */

function show() {
  const tab = TABS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'now';
  for (const t of TABS) {
    $(t).hidden = t !== tab;
    if (t === tab) $('tab-' + t).setAttribute('aria-current', 'page');
    else $('tab-' + t).removeAttribute('aria-current');
  }
  clearInterval(timer);
  timer = null;
  if (tab === 'now') {
    poll();
    timer = setInterval(() => { if (!document.hidden) poll(); }, 1000);
  }
  if (tab === 'progress' && history) buildProgress();
  if (tab === 'settings') loadSettings().catch(() => say('The settings could not be read.'));
}

async function start() {
  for (const b of document.querySelectorAll('button[data-cmd]'))
    b.onclick = () => command(b.dataset.cmd);
  $('settings-form').onsubmit = saveSettings;
  window.addEventListener('hashchange', () => { show(); $('main').focus(); });
  show();
  try {
    const [r, h] = await Promise.all([fetch('api/routines'), fetch('api/history')]);
    routines = await r.json();
    history = await h.json();
  } catch (e) {
    say('The device did not answer.');
    return;
  }
  buildPlaces();
  buildRoutines();
  if (!$('progress').hidden) buildProgress();
  document.body.dataset.ready = '1';
}

start();
