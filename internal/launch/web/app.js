// The dashboard polls the notebook's description and shows the notebook in
// the iframe once its server answers, as Kubeflow's dashboard does.
'use strict';
const $ = (id) => document.getElementById(id);
let shownGeneration = -1;

function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  return Math.round(s / 3600) + ' h ago';
}

function render(d) {
  const st = d.status;
  document.title = d.name + ' · nbkit run';
  $('name').textContent = d.name;
  $('namespace').textContent = d.namespace;
  $('image').textContent = d.image;
  $('type').textContent = d.serverType;
  $('open').href = d.prefix + '/';
  document.body.dataset.generation = st.generation;
  const phase = $('phase');
  phase.textContent = st.phase;
  phase.className = 'badge ' + st.phase;
  phase.title = st.error || (st.readySeconds ? 'ready after ' + st.readySeconds.toFixed(1) + ' s' : '');
  $('activity').textContent = d.activity
    ? (d.activity.busy ? 'busy now' : ago(d.activity.last)) + ' (' + d.activity.source + ')'
    : (d.activityError ? 'no culling endpoint' : '–');
  $('activity').parentElement.title = d.activityError || 'last activity, as the culler reads it';
  $('stop').disabled = st.phase === 'stopped' || st.phase === 'stopping';
  $('restart').textContent = st.phase === 'stopped' ? 'Start' : 'Restart';

  const overlay = $('overlay');
  if (st.phase === 'ready') {
    if (shownGeneration !== st.generation) {
      shownGeneration = st.generation;
      setFrame(d.prefix + '/');
    }
    overlay.className = 'overlay hidden';
    return;
  }
  if (shownGeneration !== -1) {
    shownGeneration = -1;
    setFrame('about:blank');
  }
  const text = { starting: 'Starting the notebook…', stopping: 'Stopping…', stopped: 'The notebook is stopped.', failed: 'The notebook failed to start.' }[st.phase] || st.phase;
  $('overlay-text').textContent = st.error ? text + ' ' + st.error : text;
  overlay.className = 'overlay' + (st.phase === 'stopped' || st.phase === 'failed' ? ' static' : '');
}

// setFrame puts a new iframe in place of the old one instead of navigating
// it: a notebook with unsaved changes would otherwise hold the page in a
// "leave this page?" prompt, and the server it would save to is gone anyway.
function setFrame(src) {
  const f = document.createElement('iframe');
  f.id = 'frame';
  f.title = 'notebook';
  f.src = src;
  $('frame').replaceWith(f);
}

async function poll() {
  try {
    const r = await fetch('api/notebook', { cache: 'no-store' });
    if (r.ok) render(await r.json());
  } catch (e) { /* the server may be gone; keep trying */ }
}

async function act(what) {
  $('stop').disabled = $('restart').disabled = true;
  $('phase').textContent = what === 'stop' ? 'stopping' : 'starting';
  $('phase').className = 'badge starting';
  await fetch('api/' + what, { method: 'POST' });
  $('restart').disabled = false;
  poll();
}
$('stop').onclick = () => act('stop');
$('restart').onclick = () => act('restart');
$('togglelogs').onclick = () => {
  const c = $('logs').classList.toggle('collapsed');
  $('togglelogs').textContent = c ? 'show' : 'hide';
};

function follow() {
  const log = $('log');
  const es = new EventSource('api/logs');
  es.onopen = () => { log.textContent = ''; $('logstate').textContent = 'streaming'; };
  es.onerror = () => { $('logstate').textContent = 'reconnecting…'; };
  es.onmessage = (e) => {
    const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(e.data + '\n');
    if (log.childNodes.length > 3000) log.removeChild(log.firstChild);
    if (stick) log.scrollTop = log.scrollHeight;
  };
}

poll();
setInterval(poll, 2000);
follow();
