// The page of `attune ui` (docs/ui.md is its contract with the node). Plain JavaScript, no
// libraries. Every text from an entry, the partner or the node goes in as a text node: the page
// never parses HTML.
'use strict';

(function attunePage() {
  // The one-time token leaves the address bar at once (the session is a cookie from here on).
  if (new URLSearchParams(location.search).has('token')) {
    history.replaceState(null, '', '/' + location.hash);
  }

  // ---------------------------------------------------------------------------------------------
  // State

  const SEEN_KEY = 'attune.together.seen';
  const ACKS = ['heard', 'will-try', 'lets-talk'];
  const NOT_WRITTEN_HERE = new Set(['response', 'style']); // answered or quizzed, not typed here
  // A long journal is drawn a page at a time, newest first in, so that ten thousand entries open
  // as quickly as two hundred; "Show earlier" adds the next page above.
  const ENTRY_PAGE = 200;

  const S = {
    wording: {},
    overview: {
      name: '', paired: false, partner: null, link: { state: 'not_paired', path: null },
      kinds: [], steps: [], suggested_step: null,
    },
    route: { name: 'journal', nav: 'journal', step: null },
    renderSeq: 0,
    closed: false,
    events: null,
    filters: { kind: '', step: '', tag: '', since: '', q: '', author: 'me' },
    entriesShown: ENTRY_PAGE, // how many of the newest matches the journal list asks for
    entriesSeq: 0,
    entryForm: null, // {el, mode: 'new' | 'edit', entryId}; kept while moving between views
    pendingKind: null, // a kind chosen on a step's page, for the journal's form
    stepCache: new Map(),
    togetherSince: null,
    share: null, // {entry, preview, withAnswers, after}
    deleting: null,
    dialogReturn: new WeakMap(),
    // Pairing from the Partner page: the node's state, how many pairing events have come (an
    // answer older than the last event is not applied), and what the page itself is doing.
    pairing: { state: 'idle' },
    pairingEvents: 0,
    pairingCancelling: false,
    pairingSettling: false,
    pairingErrorKey: '',
    pairingControl: null, // the selector of the control that started what is under way
    partnerShown: null, // 'paired' | 'unpaired': which Partner page is on screen
    // The quiz: its items (they do not change while attune ui runs), the answers so far, the
    // results.
    quiz: null,
    quizRun: null, // {answers: [1–7 | null, …], index}
    styleResults: null, // GET /api/style
    exercises: null, // GET /api/exercises: {catalogue, exercises, paired, software}
  };

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'rows', 'type']);

  // h('p', {class: 'x', 'data-id': id}, 'text', child, [more]): a DOM element, text as text.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (key === 'class') el.className = value;
        else if (key.startsWith('on') && typeof value === 'function') {
          el.addEventListener(key.slice(2), value);
        } else if (PROPS.has(key)) el[key] = value;
        else el.setAttribute(key, value === true ? '' : String(value));
      }
    }
    appendAll(el, children);
    return el;
  }

  function appendAll(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) appendAll(el, child);
      else if (child instanceof Node) el.appendChild(child);
      else el.appendChild(document.createTextNode(String(child)));
    }
  }

  const hidden = (text) => h('span', { class: 'visually-hidden' }, text);

  function w(...path) {
    let value = S.wording;
    for (const key of path) {
      if (!value || typeof value !== 'object') return '';
      value = value[key];
    }
    return typeof value === 'string' ? value : '';
  }

  function debounce(fn, ms) {
    let timer = null;
    const run = (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
    run.cancel = () => clearTimeout(timer);
    return run;
  }

  function parseList(text) {
    return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  }

  function localDate(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso || '';
    return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  }

  // The server takes `since` as an RFC 3339 time: the local midnight that begins the chosen day,
  // with this computer's offset at that moment (e.g. 2026-12-01T00:00:00+01:00). Where the clocks
  // skip midnight, the day begins at the first time that exists.
  function localMidnightRfc3339(day) {
    const match = /^(\d{4,6})-(\d{2})-(\d{2})$/.exec(day || '');
    if (!match) return '';
    const at = new Date(2000, 0, 1, 0, 0, 0, 0);
    at.setFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    at.setHours(0, 0, 0, 0);
    if (Number.isNaN(at.getTime())) return '';
    const pad = (n) => String(n).padStart(2, '0');
    const offset = -Math.round(at.getTimezoneOffset());
    const abs = Math.abs(offset);
    return String(at.getFullYear()).padStart(4, '0') + '-' + pad(at.getMonth() + 1) + '-' + pad(at.getDate())
      + 'T' + pad(at.getHours()) + ':' + pad(at.getMinutes()) + ':' + pad(at.getSeconds())
      + (offset < 0 ? '-' : '+') + pad(Math.floor(abs / 60)) + ':' + pad(abs % 60);
  }

  function localDateTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso || '';
    return date.toLocaleString(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    });
  }

  function article(word) {
    return /^[aeiou]/i.test(word) ? 'an' : 'a';
  }

  function partnerName() {
    return (S.overview.partner && S.overview.partner.name) || '';
  }

  function whoName(author) {
    if (author === 'me') return S.overview.name || 'You';
    if (author === 'partner') return partnerName() || 'Your partner';
    return 'Your former partner';
  }

  function kindInfo(name) {
    return S.overview.kinds.find((kind) => kind.name === name) || null;
  }

  function stepTitle(number) {
    const step = S.overview.steps.find((s) => s.step === number);
    return step ? step.title : '';
  }

  // ---------------------------------------------------------------------------------------------
  // Talking to the node

  class ApiError extends Error {
    constructor(status, code, reason, message) {
      super(message);
      this.status = status;
      this.code = code || '';
      this.reason = reason || '';
    }
  }

  // Same-origin, the session cookie goes along by itself. A user's action clears the error line
  // when it succeeds; a background refresh (background: true) leaves it for the person to read.
  async function api(method, path, body, options) {
    const init = { method, credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body === undefined ? {} : body);
    }
    let response;
    let text = '';
    try {
      response = await fetch(path, init);
      text = await response.text();
    } catch (e) {
      // Only the node itself answers here; when it does not, it has ended.
      throw new ApiError(0, 'unavailable', 'no_answer', w('closed') || 'attune ui is not answering.');
    }
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) {
      const error = data && typeof data === 'object' ? data.error : null;
      const message = error && typeof error.message === 'string' && error.message
        ? error.message
        : ('HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : ''));
      throw new ApiError(response.status, error && error.code, error && error.reason, message);
    }
    if (!(options && options.background)) clearError();
    return data && typeof data === 'object' ? data : {};
  }

  // ---------------------------------------------------------------------------------------------
  // Notice and error lines

  function showError(error) {
    const el = $('#error');
    const message = error instanceof Error ? error.message : String(error);
    el.textContent = message;
    el.classList.toggle('is-shown', message !== '');
    if (message) el.scrollIntoView({ block: 'nearest' });
  }

  function clearError() {
    const el = $('#error');
    if (!el || S.closed) return;
    el.textContent = '';
    el.classList.remove('is-shown');
  }

  // A message in the notice area; `action` ({label, run}) adds one button after it (Undo).
  function notify(message, action) {
    const el = $('#notice');
    if (S.closed) return;
    el.textContent = message || '';
    if (message && action) {
      const undo = h('button', {
        type: 'button', class: 'notice-action', onclick: async () => {
          undo.disabled = true;
          await action.run();
        },
      }, action.label);
      el.append(' ', undo);
    }
    el.classList.toggle('is-shown', Boolean(message));
  }

  // ---------------------------------------------------------------------------------------------
  // Lists that update in place: items are kept (with their focus and open forms) when unchanged

  const KEY = new WeakMap();
  const SIG = new WeakMap();

  function describeFocus(parent) {
    const active = document.activeElement;
    if (!active || !parent.contains(active) || active === parent) return null;
    let item = active;
    while (item.parentElement !== parent) item = item.parentElement;
    const info = { active, key: KEY.get(item), selector: null, start: null, end: null };
    if (active.id) info.selector = '#' + CSS.escape(active.id);
    else if (active.classList.length) info.selector = active.tagName.toLowerCase() + '.' + CSS.escape(active.classList[0]);
    try {
      info.start = active.selectionStart;
      info.end = active.selectionEnd;
    } catch (e) { /* not a text field */ }
    return info;
  }

  function restoreFocus(info, parent) {
    if (!info) return;
    let target = info.active;
    if (!target.isConnected) {
      const item = Array.from(parent.children).find((child) => KEY.get(child) === info.key);
      target = item ? ((info.selector && $(info.selector, item)) || item) : null;
    }
    if (target && document.activeElement !== target) {
      target.focus({ preventScroll: true });
      if (info.start !== null && typeof target.setSelectionRange === 'function') {
        try {
          target.setSelectionRange(info.start, info.end);
        } catch (e) { /* not a text field */ }
      }
    }
  }

  // items: [{key, sig, build()}]; transplant(oldNode, newNode) may carry an open form across.
  function reconcile(parent, items, transplant) {
    const focus = describeFocus(parent);
    const old = new Map();
    for (const child of Array.from(parent.children)) old.set(KEY.get(child), child);
    const wanted = items.map((item) => {
      const previous = old.get(item.key);
      if (previous && SIG.get(previous) === item.sig) return previous;
      const node = item.build();
      KEY.set(node, item.key);
      SIG.set(node, item.sig);
      if (previous && transplant) transplant(previous, node);
      return node;
    });
    const keep = new Set(wanted);
    for (const child of Array.from(parent.children)) {
      if (!keep.has(child)) child.remove();
    }
    let cursor = parent.firstChild;
    for (const node of wanted) {
      if (node === cursor) {
        cursor = cursor.nextSibling;
      } else {
        parent.insertBefore(node, cursor);
      }
    }
    restoreFocus(focus, parent);
  }

  function setEmpty(afterEl, id, message, show) {
    let el = document.getElementById(id);
    if (!show) {
      if (el) el.remove();
      return;
    }
    if (!el) {
      el = h('p', { id, class: 'empty' });
      afterEl.after(el);
    }
    el.textContent = message;
  }

  // ---------------------------------------------------------------------------------------------
  // Dialogs: opened with showModal(), closed with Escape or a button, focus goes back

  function openDialog(dialog, focusTarget) {
    if (S.closed) return;
    S.dialogReturn.set(dialog, document.activeElement);
    for (const button of $$('button', dialog)) button.disabled = false;
    dialog.showModal();
    (focusTarget || dialog).focus();
  }

  // returnTo: an element to focus afterwards, or null to send focus back to what opened it.
  function closeDialog(dialog, returnTo) {
    if (returnTo) S.dialogReturn.set(dialog, returnTo);
    if (dialog.open) dialog.close();
  }

  function wireDialog(dialog) {
    dialog.addEventListener('close', () => {
      const back = S.dialogReturn.get(dialog);
      S.dialogReturn.delete(dialog);
      if (S.closed) return;
      if (back && back.isConnected && typeof back.focus === 'function') back.focus();
      else focusTitle();
    });
  }

  function setBusy(buttons, busy) {
    for (const button of buttons) if (button) button.disabled = busy || S.closed;
  }

  // ---------------------------------------------------------------------------------------------
  // Routing

  function parseRoute() {
    const parts = location.hash.replace(/^#\/?/, '').split('/');
    switch (parts[0]) {
      case 'sharing': return { name: 'sharing', nav: 'sharing' };
      case 'together': return { name: 'together', nav: 'together' };
      case 'exercises': return { name: 'exercises', nav: 'exercises' };
      case 'partner': return { name: 'partner', nav: 'partner' };
      case 'quiz': return { name: 'quiz', nav: 'quiz' };
      case 'steps':
        if (/^[1-9]$/.test(parts[1] || '')) return { name: 'step', nav: 'steps', step: Number(parts[1]) };
        return { name: 'steps', nav: 'steps' };
      default: return { name: 'journal', nav: 'journal' };
    }
  }

  const TITLES = {
    journal: 'Your journal', sharing: 'What you share', together: 'Together',
    exercises: 'Doing a step together',
    partner: 'Your partner', steps: 'The nine steps', step: 'The nine steps',
    quiz: 'Attachment style quiz',
  };

  function setTitle(text) {
    $('#view-title').textContent = text;
    document.title = text + ' · attune';
  }

  function focusTitle() {
    $('#view-title').focus({ preventScroll: false });
  }

  function navigate(moveFocus) {
    if (S.closed) return;
    const route = parseRoute();
    S.route = route;
    // A dialog belongs to the view it was opened from (the back button can leave that view).
    for (const dialog of $$('dialog')) {
      if (dialog.open) {
        S.dialogReturn.delete(dialog);
        dialog.close();
      }
    }
    S.share = null;
    S.deleting = null;
    const seq = ++S.renderSeq;
    for (const link of $$('a[data-nav]')) {
      if (link.dataset.nav === route.nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    notify('');
    if (moveFocus) clearError();
    const body = $('#view-body');
    body.replaceChildren();
    setTitle(TITLES[route.name]);
    let focusTaken = false;
    switch (route.name) {
      case 'sharing': viewSharing(body); break;
      case 'together': viewTogether(body); break;
      case 'exercises': viewExercises(body); break;
      case 'partner': viewPartner(body); break;
      case 'steps': viewSteps(body); break;
      case 'step': viewStep(body, route.step, seq); break;
      case 'quiz': viewQuiz(body, seq); break;
      default: focusTaken = viewJournal(body); break;
    }
    if (moveFocus && !focusTaken) focusTitle();
  }

  function viewIs(name) {
    return !S.closed && S.route.name === name;
  }

  // ---------------------------------------------------------------------------------------------
  // Journal

  function filtersSet() {
    const f = S.filters;
    return Boolean(f.kind || f.step || f.tag || f.since || f.q || f.author !== 'me');
  }

  function buildFilters() {
    const f = S.filters;
    const reload = () => {
      S.entriesShown = ENTRY_PAGE;
      loadEntries(false);
    };
    const reloadSoon = debounce(reload, 250);

    const kindSelect = h('select', { id: 'filter-kind' },
      h('option', { value: '' }, 'All kinds'),
      S.overview.kinds.map((kind) => h('option', { value: kind.name }, kind.name)));
    kindSelect.value = f.kind;
    kindSelect.addEventListener('change', () => { f.kind = kindSelect.value; reload(); });

    const stepSelect = h('select', { id: 'filter-step' },
      h('option', { value: '' }, 'All steps'),
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => h('option', { value: String(n) }, 'Step ' + n)));
    stepSelect.value = f.step;
    stepSelect.addEventListener('change', () => { f.step = stepSelect.value; reload(); });

    const authorSelect = h('select', { id: 'filter-author' },
      h('option', { value: 'me' }, 'Mine'),
      h('option', { value: 'partner' }, partnerName() ? partnerName() + "'s" : "My partner's"),
      h('option', { value: 'all' }, 'Both of ours'));
    authorSelect.value = f.author;
    authorSelect.addEventListener('change', () => { f.author = authorSelect.value; reload(); });

    const tagInput = h('input', { id: 'filter-tag', type: 'text', autocomplete: 'off', value: f.tag });
    tagInput.addEventListener('input', () => { f.tag = tagInput.value.trim(); reloadSoon(); });

    const sinceInput = h('input', { id: 'filter-since', type: 'date', value: f.since });
    const onSince = () => {
      if (f.since === sinceInput.value) return;
      f.since = sinceInput.value;
      reloadSoon();
    };
    sinceInput.addEventListener('input', onSince);
    sinceInput.addEventListener('change', onSince);

    const qInput = h('input', { id: 'filter-q', type: 'search', autocomplete: 'off', value: f.q });
    qInput.addEventListener('input', () => { f.q = qInput.value.trim(); reloadSoon(); });

    const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
    return h('form', {
      class: 'filters', role: 'search', 'aria-label': 'Find entries',
      onsubmit: (event) => { event.preventDefault(); reloadSoon.cancel(); reload(); },
    },
    field('filter-q', 'Words', qInput),
    field('filter-kind', 'Kind', kindSelect),
    field('filter-step', 'Step', stepSelect),
    field('filter-tag', 'Tag', tagInput),
    field('filter-since', 'Since', sinceInput),
    field('filter-author', 'Whose', authorSelect));
  }

  function syncFilterControls() {
    const f = S.filters;
    const set = (id, value) => { const el = document.getElementById(id); if (el) el.value = value; };
    set('filter-kind', f.kind);
    set('filter-step', f.step);
    set('filter-tag', f.tag);
    set('filter-since', f.since);
    set('filter-q', f.q);
    set('filter-author', f.author);
  }

  // Returns true when it moved focus itself (into the form opened from a step's page).
  function viewJournal(body) {
    const newButton = h('button', { type: 'button', id: 'new-entry', class: 'button-primary' }, 'Write a new entry');
    newButton.addEventListener('click', () => openNewEntryForm(null));
    const formSlot = h('div', { id: 'entry-form-slot' });
    const list = h('ul', { id: 'entry-list', class: 'entry-list' });
    body.append(
      h('div', { class: 'toolbar' }, newButton,
        h('p', { class: 'quiet' }, 'What you write stays private, on this computer, until you choose to share it.')),
      formSlot,
      h('section', { class: 'entries', 'aria-labelledby': 'entries-heading' },
        h('h2', { id: 'entries-heading', tabindex: '-1' }, 'Entries'),
        buildFilters(),
        list));
    let focusTaken = false;
    if (S.entryForm) formSlot.append(S.entryForm.el);
    if (S.pendingKind) {
      const kind = S.pendingKind;
      S.pendingKind = null;
      openNewEntryForm(kind);
      focusTaken = true;
    }
    loadEntries(true);
    return focusTaken;
  }

  async function loadEntries(background) {
    const seq = ++S.entriesSeq;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(S.filters)) {
      const sent = key === 'since' ? localMidnightRfc3339(value) : value;
      if (sent) params.set(key, sent);
    }
    params.set('limit', String(S.entriesShown));
    let data;
    try {
      data = await api('GET', '/api/entries?' + params.toString(), undefined, { background });
    } catch (e) {
      if (seq === S.entriesSeq && viewIs('journal')) showError(e);
      return null;
    }
    if (seq !== S.entriesSeq || !viewIs('journal')) return null;
    const entries = Array.isArray(data.entries) ? data.entries : [];
    renderEntryList(entries, Number(data.total) || entries.length);
    return entries;
  }

  function renderEntryList(entries, total) {
    const list = $('#entry-list');
    if (!list) return;
    renderEarlierControl(list, entries.length, total);
    const context = partnerName() + '|' + S.overview.name;
    reconcile(list, entries.map((entry) => ({
      key: entry.id,
      sig: JSON.stringify(entry) + context,
      build: () => buildEntryItem(entry),
    })));
    setEmpty(list, 'entry-list-empty', filtersSet() ? w('no_matches') : w('no_entries'), entries.length === 0);
    // The benchmark's "first render" (bench/ui_first_render.py): the list is in the page.
    if (!performance.getEntriesByName('attune:journal-rendered').length) {
      performance.mark('attune:journal-rendered');
    }
  }

  // Above the list when it holds only the newest of the matches: how many, and a button for more.
  function renderEarlierControl(list, shown, total) {
    let box = document.getElementById('entry-earlier');
    const hidden = total - shown;
    if (hidden <= 0) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = h('div', { id: 'entry-earlier', class: 'earlier' },
        h('p', { id: 'entry-earlier-note', class: 'quiet' }),
        h('button', { type: 'button', id: 'show-earlier', class: 'button-quiet', onclick: showEarlier }));
      list.before(box);
    }
    $('#entry-earlier-note').textContent = 'Showing the newest ' + shown + ' of ' + total + ' entries.';
    $('#show-earlier').textContent = 'Show ' + Math.min(ENTRY_PAGE, hidden) + ' earlier';
  }

  async function showEarlier() {
    const before = new Set($$('#entry-list > li').map((li) => li.dataset.id));
    S.entriesShown += ENTRY_PAGE;
    const entries = await loadEntries(false);
    if (!entries || $('#show-earlier')) return; // focus stays on the button
    // All are shown and the button is gone: focus the first of those just added.
    const added = $$('#entry-list > li').find((li) => !before.has(li.dataset.id));
    if (added) added.focus();
  }

  function tagsLine(tags) {
    const line = h('p', { class: 'entry-tags' });
    if (Array.isArray(tags) && tags.length) {
      tags.forEach((tag, i) => {
        if (i) line.append(' ');
        line.append(h('span', { class: 'tag' }, tag));
      });
    }
    return line;
  }

  function deliveryLine(entry) {
    const line = h('p', { class: 'delivery' }, w('delivery', entry.delivery));
    if (entry.awaiting_confirmation) line.append(' ', h('span', { class: 'awaiting' }, w('awaiting_confirmation')));
    return line;
  }

  function buildEntryItem(entry) {
    const own = entry.author === 'me';
    const headId = 'entry-head-' + entry.id;
    const li = h('li', { class: 'entry', 'data-id': entry.id, 'data-author': entry.author, tabindex: '-1' });
    li.append(
      h('p', { class: 'entry-head', id: headId },
        h('span', { class: 'entry-kind' }, entry.kind),
        entry.step ? h('span', { class: 'entry-step' }, 'Step ' + entry.step) : null,
        h('time', { class: 'entry-date', datetime: entry.created }, localDate(entry.created)),
        own
          ? h('span', { class: 'entry-visibility' }, entry.visibility === 'shared' ? 'Shared' : 'Private')
          : h('span', { class: 'entry-author' }, 'From ' + whoName(entry.author))),
      h('p', { class: 'entry-text' }, entry.text),
      tagsLine(entry.tags));
    if (own && entry.delivery) li.append(deliveryLine(entry));
    if (own) {
      const button = (cls, label, onClick) => h('button', {
        type: 'button', class: cls, 'aria-describedby': headId, onclick: onClick,
      }, label);
      const actions = h('div', { class: 'entry-actions' });
      if (entry.kind !== 'style') actions.append(button('edit', 'Edit', () => openEditForm(entry)));
      if (entry.visibility === 'shared') {
        if (entry.awaiting_confirmation) {
          actions.append(button('share', 'Share new words…', () => startShare(entry)));
        }
        actions.append(button('unshare', 'Stop sharing', (event) => unshare(entry, event.currentTarget)));
      } else {
        actions.append(button('share', 'Share…', () => startShare(entry)));
      }
      if (entry.kind === 'boundary') {
        actions.append(button('restate', 'Restate…', () => openRestate(entry, li)));
      }
      actions.append(button('delete', 'Delete…', () => startDelete(entry)));
      li.append(actions);
    }
    return li;
  }

  function focusInEntry(id, selectors) {
    const item = $('#entry-list > li[data-id="' + CSS.escape(id) + '"]')
      || $('#shared-list > li[data-id="' + CSS.escape(id) + '"]');
    if (!item) return false;
    for (const selector of selectors) {
      const el = $(selector, item);
      if (el) {
        el.focus();
        return true;
      }
    }
    item.focus();
    return true;
  }

  // After saving: the new entry is shown, even if the filters would have hidden it.
  async function showSavedEntry(entry) {
    let entries = await loadEntries(false);
    if (entries && !entries.some((e) => e.id === entry.id) && filtersSet()) {
      S.filters = { kind: '', step: '', tag: '', since: '', q: '', author: 'me' };
      S.entriesShown = ENTRY_PAGE;
      syncFilterControls();
      entries = await loadEntries(false);
    }
    const item = $('#entry-list > li[data-id="' + CSS.escape(entry.id) + '"]');
    if (item) {
      item.classList.add('is-just-saved');
      item.focus();
    }
  }

  // --- the entry form (new and edit)

  function closeEntryForm(focusAfter) {
    if (S.entryForm) {
      if (S.entryForm.checkSoon) S.entryForm.checkSoon.cancel();
      S.entryForm.el.remove();
    }
    S.entryForm = null;
    if (focusAfter && typeof focusAfter.focus === 'function' && focusAfter.isConnected) focusAfter.focus();
  }

  function field(id, label, control, hint) {
    const hintId = hint ? id + '-hint' : null;
    if (hintId) control.setAttribute('aria-describedby', hintId);
    return h('div', { class: 'field' },
      h('label', { for: id }, label),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      control);
  }

  function kindSelectOptions() {
    const groups = [];
    for (let step = 1; step <= 9; step++) {
      const kinds = S.overview.kinds.filter((k) => k.step === step && !NOT_WRITTEN_HERE.has(k.name));
      if (!kinds.length) continue;
      const title = stepTitle(step);
      groups.push(h('optgroup', { label: 'Step ' + step + (title ? ': ' + title : '') },
        kinds.map((k) => h('option', { value: k.name }, 'Step ' + step + ': ' + k.name + ' — ' + k.description))));
    }
    const anyTime = S.overview.kinds.filter((k) => !(k.step >= 1 && k.step <= 9) && !NOT_WRITTEN_HERE.has(k.name));
    if (anyTime.length) {
      groups.push(h('optgroup', { label: 'Any time' },
        anyTime.map((k) => h('option', { value: k.name }, k.name + ' — ' + k.description))));
    }
    return groups;
  }

  function openNewEntryForm(kind) {
    if (S.entryForm && S.entryForm.mode === 'new') {
      const select = $('#entry-kind', S.entryForm.el);
      if (kind && select.value !== kind) {
        select.value = kind;
        select.dispatchEvent(new Event('change'));
      }
      const first = kind ? firstTextControl(S.entryForm.el) : select;
      if (first) first.focus();
      return;
    }
    closeEntryForm(null);
    const form = buildNewEntryForm(kind);
    const slot = $('#entry-form-slot');
    if (slot) slot.append(form);
    const first = kind ? firstTextControl(form) : $('#entry-kind', form);
    if (first) first.focus();
  }

  function firstTextControl(form) {
    return $('#entry-text', form) || $('#statement-feel', form);
  }

  function buildNewEntryForm(initialKind) {
    const kindSelect = h('select', { id: 'entry-kind' }, kindSelectOptions());
    const choices = Array.from(kindSelect.options).map((o) => o.value);
    kindSelect.value = initialKind && choices.includes(initialKind)
      ? initialKind
      : (choices.includes('note') ? 'note' : (choices[0] || ''));

    const prompts = h('div', { id: 'entry-prompts', class: 'prompts' });
    const textArea = h('textarea', { id: 'entry-text', rows: 8 });
    const textBlock = field('entry-text', 'Your words', textArea);
    const composer = buildStatementComposer();
    const boundaryHints = buildBoundaryHints(textArea);
    const bodySlot = h('div', { class: 'entry-body' });

    const tags = h('input', { id: 'entry-tags', type: 'text', autocomplete: 'off' });
    const links = h('input', { id: 'entry-links', type: 'text', autocomplete: 'off', spellcheck: 'false' });
    const save = h('button', { type: 'submit', id: 'entry-save', class: 'button-primary' }, 'Save');
    const cancel = h('button', { type: 'button', id: 'entry-cancel' }, 'Cancel');

    const form = h('form', { id: 'entry-form', class: 'entry-form card', 'aria-labelledby': 'entry-form-title', novalidate: true },
      h('h2', { id: 'entry-form-title' }, 'A new entry'),
      field('entry-kind', 'What would you like to write?', kindSelect),
      prompts,
      bodySlot,
      field('entry-tags', 'Tags (optional)', tags, 'Separate them with commas, for example: work, evenings'),
      field('entry-links', 'Linked entries (optional)', links, 'The short ids of related entries, separated by commas'),
      h('div', { class: 'form-actions' }, save, cancel));

    const state = { el: form, mode: 'new', entryId: null, checkSoon: composer.checkSoon };
    S.entryForm = state;

    const showKind = () => {
      const kind = kindSelect.value;
      if (kind === 'statement') bodySlot.replaceChildren(composer.el);
      else if (kind === 'boundary') bodySlot.replaceChildren(textBlock, boundaryHints);
      else bodySlot.replaceChildren(textBlock);
      if (kind === 'boundary') textArea.setAttribute('aria-describedby', 'boundary-hints-heading');
      else textArea.removeAttribute('aria-describedby');
      if (kind === 'statement') composer.checkSoon();
      showPrompts(prompts, kind);
    };
    kindSelect.addEventListener('change', showKind);
    showKind();

    cancel.addEventListener('click', () => closeEntryForm($('#new-entry')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const kind = kindSelect.value;
      const body = { kind };
      if (kind === 'statement') {
        body.parts = composer.parts();
        body.tags = parseList(tags.value);
        const linkList = parseList(links.value);
        if (linkList.length) body.links = linkList;
      } else {
        body.text = textArea.value;
        body.tags = parseList(tags.value);
        body.links = parseList(links.value);
      }
      setBusy([save, cancel], true);
      let data;
      try {
        data = await api('POST', '/api/entries', body);
      } catch (e) {
        setBusy([save, cancel], false);
        showError(e);
        return;
      }
      if (S.entryForm === state) closeEntryForm(null);
      else form.remove();
      if (viewIs('journal') && data.entry) await showSavedEntry(data.entry);
      notify('Saved in your journal. It stays private until you choose to share it.');
    });
    return form;
  }

  async function stepDetail(number) {
    if (S.stepCache.has(number)) return S.stepCache.get(number);
    const data = await api('GET', '/api/steps/' + number, undefined, { background: true });
    S.stepCache.set(number, data);
    return data;
  }

  async function showPrompts(container, kindName) {
    const info = kindInfo(kindName);
    container.dataset.kind = kindName;
    const step = info ? info.step : 0;
    if (!(step >= 1 && step <= 9)) {
      container.replaceChildren();
      return;
    }
    let detail;
    try {
      detail = await stepDetail(step);
    } catch (e) {
      showError(e);
      return;
    }
    if (container.dataset.kind !== kindName) return;
    const prompts = Array.isArray(detail.prompts) ? detail.prompts : [];
    if (!prompts.length) {
      container.replaceChildren();
      return;
    }
    container.replaceChildren(
      h('p', { class: 'prompts-heading' }, 'Some questions that may help (step ' + step + (detail.title ? ': ' + detail.title : '') + ')'),
      h('ul', { class: 'prompt-list' }, prompts.map((p) => h('li', null, p))));
  }

  // As the command line prints a suggestion: a capital first letter and a full stop.
  function sentence(text) {
    const t = String(text || '').trim();
    if (!t) return '';
    const capital = t.charAt(0).toUpperCase() + t.slice(1);
    return /[.!?…]$/.test(capital) ? capital : capital + '.';
  }

  // Step 8: a few ways to phrase a boundary warmly, under the text while one is written, and the
  // node's notes on the words typed so far (POST /api/boundary/check); suggestions only.
  const BOUNDARY_HINTS = [
    'Speak about what you will do, rather than what your partner must do: “When voices rise, I will take a few minutes on my own.”',
    'Name the need behind it: “… because I need to feel calm to really hear you.”',
    'Say when you will come back to the conversation: “I will come back in twenty minutes, so we can finish this together.”',
    'Keep it short and kind. A boundary looks after the connection between you; it is not a punishment.',
    'Begin with “I”, and leave out “always” and “never”.',
  ];

  function buildBoundaryHints(textArea) {
    const notesHeading = h('p', { id: 'boundary-notes-heading', class: 'hints-heading', hidden: true },
      'About the words so far (you decide)');
    const notes = h('ul', { id: 'boundary-notes', class: 'hints', 'aria-labelledby': 'boundary-notes-heading',
      'aria-live': 'polite' });
    let seq = 0;
    const check = async () => {
      const mine = ++seq;
      let data;
      try {
        data = await api('POST', '/api/boundary/check', { text: textArea.value }, { background: true });
      } catch (e) {
        return;  // the fixed hints above still stand
      }
      if (mine !== seq) return;
      const found = Array.isArray(data.notes) ? data.notes : [];
      notes.replaceChildren(...found.map((note) => h('li', { class: 'hint-item' },
        h('q', { class: 'hint-found' }, note.found || ''), ' ',
        h('span', { class: 'hint-why' }, note.why || ''), ' ',
        h('span', { class: 'hint-suggestion' }, sentence(note.suggestion)))));
      notesHeading.hidden = found.length === 0;
    };
    const checkSoon = debounce(check, 200);
    textArea.addEventListener('input', () => {
      if ($('#boundary-hints')) checkSoon();
    });
    return h('div', { class: 'boundary-hints' },
      h('p', { id: 'boundary-hints-heading', class: 'hints-heading' }, 'Some gentle ways to phrase a boundary (you decide)'),
      h('ul', { id: 'boundary-hints', class: 'hints', 'aria-labelledby': 'boundary-hints-heading' },
        BOUNDARY_HINTS.map((hint) => h('li', null, hint))),
      notesHeading,
      notes);
  }

  const PART_LABELS = { feel: 'I feel …', when: 'when …', need: 'I feel loved and connected when …' };

  function buildStatementComposer() {
    const inputs = {
      feel: h('input', { id: 'statement-feel', type: 'text', autocomplete: 'off' }),
      when: h('input', { id: 'statement-when', type: 'text', autocomplete: 'off' }),
      need: h('input', { id: 'statement-need', type: 'text', autocomplete: 'off' }),
    };
    const preview = h('p', { id: 'statement-preview', class: 'statement-preview' });
    const hintsList = h('ul', { id: 'statement-hints', class: 'hints' });
    const hintsHeading = h('p', { id: 'statement-hints-heading', class: 'hints-heading', hidden: true },
      'Something to consider (you decide)');
    hintsList.setAttribute('aria-labelledby', 'statement-hints-heading');
    // Words of fear of the partner get no rewording: a kind word and where support is (cli's).
    const safety = h('div', { id: 'statement-safety', class: 'safety-note', role: 'note', hidden: true },
      h('p', null, w('statement_safety')), h('p', null, w('support_full')));
    const parts = () => ({ feel: inputs.feel.value, when: inputs.when.value, need: inputs.need.value });
    let seq = 0;

    const check = async () => {
      const mine = ++seq;
      const body = parts();
      if (!body.feel.trim() && !body.when.trim() && !body.need.trim()) {
        preview.textContent = '';
        hintsList.replaceChildren();
        hintsHeading.hidden = true;
        safety.hidden = true;
        return;
      }
      let data;
      try {
        data = await api('POST', '/api/statement/check', body);
      } catch (e) {
        if (mine === seq) showError(e);
        return;
      }
      if (mine !== seq) return;
      preview.textContent = typeof data.text === 'string' ? data.text : '';
      const notes = Array.isArray(data.notes) ? data.notes : [];
      hintsList.replaceChildren(...notes.map((note) => h('li', { class: 'hint-item', 'data-part': note.part || '' },
        PART_LABELS[note.part] ? h('span', { class: 'hint-part' }, 'In “' + PART_LABELS[note.part] + '”: ') : null,
        h('q', { class: 'hint-found' }, note.found || ''), ' ',
        h('span', { class: 'hint-why' }, note.why || ''), ' ',
        h('span', { class: 'hint-suggestion' }, sentence(note.suggestion)))));
      hintsHeading.hidden = notes.length === 0;
      safety.hidden = data.safety_concern !== true;
    };
    const checkSoon = debounce(check, 200);
    for (const input of Object.values(inputs)) input.addEventListener('input', checkSoon);

    const el = h('fieldset', { id: 'statement-composer', class: 'statement-composer' },
      h('legend', null, 'Your need statement'),
      h('p', { class: 'hint' }, 'Three short parts, in your own words. Saying how it feels and what helps invites your partner closer.'),
      field('statement-feel', PART_LABELS.feel, inputs.feel),
      field('statement-when', PART_LABELS.when, inputs.when),
      field('statement-need', PART_LABELS.need, inputs.need),
      h('div', { class: 'statement-result' },
        h('p', { class: 'preview-label' }, 'How it reads:'),
        preview,
        hintsHeading,
        hintsList,
        safety));
    return { el, parts, checkSoon };
  }

  // A statement with its parts is edited through the composer, as `attune statement --edit`.
  function statementParts(entry) {
    const f = entry.fields || {};
    const ok = entry.kind === 'statement' && ['feel', 'when', 'need'].every((k) => typeof f[k] === 'string');
    return ok ? { feel: f.feel, when: f.when, need: f.need } : null;
  }

  function openEditForm(entry) {
    closeEntryForm(null);
    const parts = statementParts(entry);
    const composer = parts ? buildStatementComposer() : null;
    if (composer) {
      for (const key of ['feel', 'when', 'need']) $('#statement-' + key, composer.el).value = parts[key];
      composer.checkSoon();
    }
    const textArea = h('textarea', { id: 'entry-text', rows: 8, value: entry.text });
    const save = h('button', { type: 'submit', id: 'entry-save', class: 'button-primary' }, 'Save changes');
    const cancel = h('button', { type: 'button', id: 'entry-cancel' }, 'Cancel');
    const form = h('form', { id: 'entry-form', class: 'entry-form card', 'aria-labelledby': 'entry-form-title', novalidate: true, 'data-editing': entry.id },
      h('h2', { id: 'entry-form-title' }, 'Edit your ' + entry.kind),
      entry.visibility === 'shared'
        ? h('p', { class: 'hint' }, 'Your partner keeps the version you shared until you share the new words.')
        : null,
      composer ? composer.el : field('entry-text', 'Your words', textArea),
      h('div', { class: 'form-actions' }, save, cancel));
    const state = { el: form, mode: 'edit', entryId: entry.id };
    S.entryForm = state;
    const backToEntry = () => focusInEntry(entry.id, ['button.edit']);
    cancel.addEventListener('click', () => {
      closeEntryForm(null);
      if (!backToEntry()) $('#new-entry').focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      setBusy([save, cancel], true);
      let data;
      try {
        const change = composer ? { parts: composer.parts() } : { text: textArea.value };
        data = await api('PATCH', '/api/entries/' + encodeURIComponent(entry.id), change);
      } catch (e) {
        setBusy([save, cancel], false);
        showError(e);
        return;
      }
      if (S.entryForm === state) closeEntryForm(null);
      else form.remove();
      if (viewIs('journal')) await showSavedEntry(data.entry || entry);
      notify('Your changes are saved.');
    });
    const slot = $('#entry-form-slot');
    if (slot) slot.append(form);
    if (composer) $('#statement-feel', form).focus();
    else textArea.focus();
  }

  // --- restating a boundary (step 8): a short note of when it had to be said again

  function openRestate(entry, li) {
    const existing = $('form.restate-form', li);
    if (existing) {
      $('textarea', existing).focus();
      return;
    }
    const noteId = 'restate-note-' + entry.id;
    const note = h('textarea', { id: noteId, class: 'restate-note', rows: 3 });
    const save = h('button', { type: 'submit', class: 'restate-save button-primary' }, 'Save the restatement');
    const cancel = h('button', { type: 'button', class: 'restate-cancel' }, 'Cancel');
    const form = h('form', { class: 'restate-form', novalidate: true },
      field(noteId, 'When and how you said it again (optional)', note),
      h('div', { class: 'form-actions' }, save, cancel));
    cancel.addEventListener('click', () => {
      form.remove();
      focusInEntry(entry.id, ['button.restate']);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      setBusy([save, cancel], true);
      try {
        await api('POST', '/api/entries/' + encodeURIComponent(entry.id) + '/restate', { note: note.value });
      } catch (e) {
        setBusy([save, cancel], false);
        showError(e);
        return;
      }
      form.remove();
      notify('Noted: you held this boundary again. That takes care.');
      if (viewIs('journal')) await loadEntries(true);
    });
    li.append(form);
    note.focus();
  }

  // --- delete

  function startDelete(entry) {
    S.deleting = entry;
    $('#delete-dialog-text').textContent = entry.text;
    $('#delete-dialog-shared').hidden = entry.visibility !== 'shared';
    openDialog($('#delete-dialog'), $('#delete-cancel'));
  }

  async function confirmDelete() {
    const dialog = $('#delete-dialog');
    const entry = S.deleting;
    if (!entry) {
      closeDialog(dialog);
      return;
    }
    setBusy([$('#delete-confirm'), $('#delete-cancel')], true);
    try {
      await api('DELETE', '/api/entries/' + encodeURIComponent(entry.id), {});
    } catch (e) {
      closeDialog(dialog);
      showError(e);
      return;
    }
    S.deleting = null;
    if (S.entryForm && S.entryForm.entryId === entry.id) closeEntryForm(null);
    closeDialog(dialog, $('#entries-heading') || $('#view-title'));
    await refreshCurrentView(false);
    notify('Moved to the trash; it is deleted for good after 30 days.',
           { label: 'Undo', run: () => restoreFromTrash(entry) });
  }

  async function restoreFromTrash(entry) {
    try {
      await api('POST', '/api/entries/' + encodeURIComponent(entry.id) + '/restore', {});
    } catch (e) {
      showError(e);
      return;
    }
    await refreshCurrentView(false);
    notify(entry.visibility === 'shared'
      ? 'Back in your journal, private: share it again if you want your partner to see it.'
      : 'Back in your journal.');
  }

  // --- share, unshare

  async function startShare(entry, after) {
    let data;
    try {
      data = await api('POST', '/api/entries/' + encodeURIComponent(entry.id) + '/preview', {});
    } catch (e) {
      showError(e);
      return;
    }
    S.share = { entry, preview: data.preview || {}, withAnswers: false, after: after || null };
    fillShareDialog();
    openDialog($('#share-dialog'), $('#share-confirm'));
  }

  function fillShareDialog() {
    const preview = S.share.preview;
    const view = preview.view || {};
    $('#share-dialog-title').textContent = w('preview_heading') || 'Share';
    $('#preview-view').replaceChildren(
      h('p', { class: 'entry-head' }, h('span', { class: 'entry-kind' }, view.kind || '')),
      h('p', { class: 'entry-text' }, view.text || ''),
      tagsLine(view.tags));
    const notes = [];
    if (preview.answers_withheld) notes.push(w('preview_answers_withheld'));
    if (preview.answers_included) notes.push(w('preview_answers_included'));
    if (preview.partner_has_it) notes.push(w('preview_partner_has_it'));
    if (!S.overview.paired) notes.push(w('share_not_paired'));
    $('#preview-notes').replaceChildren(...notes.filter(Boolean).map((note) => h('p', { class: 'preview-note' }, note)));
    const answersField = $('#share-answers-field');
    answersField.hidden = !(preview.answers_withheld || preview.answers_included);
    $('#share-with-answers').checked = S.share.withAnswers;
  }

  async function changeShareAnswers() {
    if (!S.share) return;
    const withAnswers = $('#share-with-answers').checked;
    const buttons = [$('#share-confirm')];
    setBusy(buttons, true);
    try {
      const data = await api('POST', '/api/entries/' + encodeURIComponent(S.share.entry.id) + '/preview',
        withAnswers ? { with_answers: true } : {});
      S.share.preview = data.preview || {};
      S.share.withAnswers = withAnswers;
      fillShareDialog();
    } catch (e) {
      closeDialog($('#share-dialog'));
      showError(e);
      return;
    } finally {
      setBusy(buttons, false);
    }
  }

  async function confirmShare() {
    const dialog = $('#share-dialog');
    const share = S.share;
    if (!share) {
      closeDialog(dialog);
      return;
    }
    const body = { digest: share.preview.digest };
    if (share.withAnswers) body.with_answers = true;
    setBusy([$('#share-confirm'), $('#share-cancel')], true);
    try {
      await api('POST', '/api/entries/' + encodeURIComponent(share.entry.id) + '/share', body);
    } catch (e) {
      // 409 changed_since_preview among them: the message says what happened; nothing was shared.
      S.share = null;
      closeDialog(dialog);
      showError(e);
      return;
    }
    S.share = null;
    closeDialog(dialog);
    await refreshCurrentView(false);
    focusInEntry(share.entry.id, ['button.unshare', 'button.share']);
    notify(w('shared_note'));
  }

  async function unshare(entry) {
    try {
      await api('POST', '/api/entries/' + encodeURIComponent(entry.id) + '/unshare', {});
    } catch (e) {
      showError(e);
      return;
    }
    await refreshCurrentView(false);
    focusInEntry(entry.id, ['button.share', 'button.unshare']);
    notify(w('unshared_note'));
  }

  // ---------------------------------------------------------------------------------------------
  // Sharing

  function viewSharing(body) {
    const list = h('ul', { id: 'shared-list', class: 'entry-list' });
    body.append(
      h('p', { class: 'lead' },
        'Nothing leaves your journal until you share it, one entry at a time. A shared entry waits ',
        'until your partner\'s computer can be reached, and is then delivered. When you stop ',
        'sharing an entry, or delete it, it is withdrawn: your partner\'s computer removes its copy ',
        'at the next sync and confirms that it has. If you change an entry after sharing it, your ',
        'partner keeps the version you shared until you choose to share the new words.'),
      list);
    loadShared(true);
  }

  // GET `path` for the view `view`: the answer, or null once the failure is shown (if that view
  // is still on screen; a background refresh leaves an earlier error in place).
  async function getForView(view, path, background) {
    try {
      return await api('GET', path, undefined, { background });
    } catch (e) {
      if (viewIs(view)) showError(e);
      return null;
    }
  }

  async function loadShared(background) {
    const data = await getForView('sharing', '/api/shared', background);
    if (!data) return;
    const list = $('#shared-list');
    if (!viewIs('sharing') || !list) return;
    const items = Array.isArray(data.items) ? data.items : [];
    reconcile(list, items.map((item) => ({
      key: item.entry_id,
      sig: JSON.stringify(item),
      build: () => buildSharedItem(item),
    })));
    setEmpty(list, 'shared-list-empty',
      'You have not shared anything yet. Whatever you write stays with you until you choose to share it.',
      items.length === 0);
  }

  function buildSharedItem(item) {
    const entry = item.entry;
    const headId = 'shared-head-' + item.entry_id;
    const li = h('li', { class: 'shared-item', 'data-id': item.entry_id, 'data-state': item.state, tabindex: '-1' });
    if (entry) {
      li.append(
        h('p', { class: 'entry-head', id: headId },
          h('span', { class: 'entry-kind' }, entry.kind),
          h('time', { class: 'entry-date', datetime: entry.created }, localDate(entry.created))),
        h('p', { class: 'entry-text' }, entry.text));
    } else {
      li.append(h('p', { class: 'entry-text entry-deleted', id: headId }, 'This entry was deleted here.'));
    }
    li.append(h('p', { class: 'state' }, w('delivery', item.state)));
    if (item.awaiting_confirmation) li.append(h('p', { class: 'awaiting' }, w('awaiting_confirmation')));
    if (item.damaged) {
      li.append(h('p', { class: 'damaged' }, 'This entry failed its integrity check, so it is not being sent.'));
    }
    if (entry && item.awaiting_confirmation) {
      li.append(h('div', { class: 'entry-actions' },
        h('button', { type: 'button', class: 'share', 'aria-describedby': headId, onclick: () => startShare(entry) },
          'Share new words…')));
    }
    return li;
  }

  // ---------------------------------------------------------------------------------------------
  // Together

  function viewTogether(body) {
    let before = null;
    try {
      before = localStorage.getItem(SEEN_KEY);
      localStorage.setItem(SEEN_KEY, new Date().toISOString());
    } catch (e) { /* storage switched off: nothing is marked new */ }
    const time = before ? Date.parse(before) : NaN;
    S.togetherSince = Number.isNaN(time) ? null : time;
    body.append(
      h('p', { class: 'lead' },
        'What the two of you have shared, in the order it was written: the most recent is at the end. ',
        'Responses appear under what they answer.'),
      h('ul', { id: 'timeline', class: 'timeline' }));
    loadTimeline(true);
  }

  function isNew(entry) {
    if (S.togetherSince === null || entry.author === 'me') return false;
    const updated = Date.parse(entry.updated || entry.created);
    return !Number.isNaN(updated) && updated > S.togetherSince;
  }

  async function loadTimeline(background) {
    const data = await getForView('together', '/api/entries?author=all&shared=1', background);
    if (!data) return;
    const list = $('#timeline');
    if (!viewIs('together') || !list) return;
    const entries = Array.isArray(data.entries) ? data.entries : [];
    const byId = new Map(entries.map((e) => [e.id, e]));
    const target = (entry) => (entry.fields && typeof entry.fields.responds_to === 'string' ? entry.fields.responds_to : null);
    // A response hangs under the first entry up its chain that is not itself a response.
    const rootOf = (entry) => {
      let current = entry;
      for (let i = 0; i < 16 && current && current.kind === 'response'; i++) current = byId.get(target(current));
      return current && current.kind !== 'response' ? current : null;
    };
    const top = [];
    const responses = new Map();
    for (const entry of entries) {
      const root = entry.kind === 'response' ? rootOf(entry) : null;
      if (root) {
        if (!responses.has(root.id)) responses.set(root.id, []);
        responses.get(root.id).push(entry);
      } else {
        top.push(entry);
      }
    }
    const context = partnerName() + '|' + S.overview.name + '|' + S.togetherSince;
    reconcile(list, top.map((entry) => {
      const answers = responses.get(entry.id) || [];
      return {
        key: entry.id,
        sig: JSON.stringify([entry, answers, isNew(entry), answers.map(isNew)]) + context,
        build: () => buildTimelineItem(entry, answers),
      };
    }), carryRespondForm);
    setEmpty(list, 'timeline-empty', 'Nothing has been shared between you yet. There is no hurry.', top.length === 0);
  }

  function newMarker() {
    return [
      h('span', { class: 'new-marker', 'aria-hidden': 'true' }, 'new'),
      hidden('New since you last looked. '),
    ];
  }

  function buildTimelineItem(entry, answers) {
    const headId = 'timeline-head-' + entry.id;
    const li = h('li', {
      class: 'timeline-item' + (isNew(entry) ? ' is-new' : ''),
      'data-id': entry.id, 'data-author': entry.author, tabindex: '-1',
    });
    li.append(
      h('p', { class: 'entry-head', id: headId },
        isNew(entry) ? newMarker() : null,
        h('span', { class: 'who' }, whoName(entry.author)),
        h('span', { class: 'entry-kind' }, entry.kind),
        h('time', { class: 'entry-date', datetime: entry.created }, localDate(entry.created))),
      h('p', { class: 'text' }, entry.text));
    if (Array.isArray(entry.tags) && entry.tags.length) li.append(tagsLine(entry.tags));
    if (entry.kind === 'response') {
      const ack = entry.fields && entry.fields.ack;
      if (ack && w('acks', ack)) li.append(h('p', { class: 'ack' }, w('acks', ack)));
    }
    if (answers.length) {
      li.append(h('ul', { class: 'responses', 'aria-label': 'Responses' }, answers.map((answer) => {
        const ack = answer.fields && answer.fields.ack;
        return h('li', { class: 'response' + (isNew(answer) ? ' is-new' : ''), 'data-id': answer.id, 'data-author': answer.author },
          h('p', { class: 'entry-head' },
            isNew(answer) ? newMarker() : null,
            h('span', { class: 'who' }, whoName(answer.author)),
            h('time', { class: 'entry-date', datetime: answer.created }, localDate(answer.created))),
          h('p', { class: 'text' }, answer.text),
          ack && w('acks', ack) ? h('p', { class: 'ack' }, w('acks', ack)) : null);
      })));
    }
    if (entry.author === 'partner') li.append(...buildRespond(entry, headId));
    return li;
  }

  function buildRespond(entry, headId) {
    const formId = 'respond-form-' + entry.id;
    const textId = 'respond-text-' + entry.id;
    const ackId = 'respond-ack-' + entry.id;
    const toggle = h('button', {
      type: 'button', class: 'respond', 'aria-expanded': 'false', 'aria-controls': formId, 'aria-describedby': headId,
    }, 'Respond');
    const text = h('textarea', { id: textId, class: 'respond-text', rows: 4 });
    const ack = h('select', { id: ackId, class: 'respond-ack' },
      h('option', { value: '' }, 'No acknowledgement'),
      ACKS.map((name) => h('option', { value: name }, w('acks', name) || name)));
    const send = h('button', { type: 'submit', class: 'respond-send button-primary' }, 'Send response');
    const form = h('form', { id: formId, class: 'respond-form', hidden: true, novalidate: true, 'aria-label': 'Your response' },
      h('div', { class: 'field' }, h('label', { for: textId }, 'Your response'), text),
      h('div', { class: 'field' }, h('label', { for: ackId }, 'Acknowledge (optional)'), ack),
      h('p', { class: 'hint' }, 'Your response is shared with ' + (partnerName() || 'your partner') + ' as soon as you send it.'),
      h('div', { class: 'form-actions' }, send));

    toggle.addEventListener('click', () => {
      const item = toggle.closest('li');
      const current = $('form.respond-form', item);
      const open = current.hidden;
      current.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) $('textarea.respond-text', current).focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = $('button.respond-send', form);
      setBusy([button], true);
      try {
        await api('POST', '/api/entries/' + encodeURIComponent(entry.id) + '/respond', {
          text: $('textarea.respond-text', form).value,
          ack: $('select.respond-ack', form).value,
        });
      } catch (e) {
        setBusy([button], false);
        showError(e);
        return;
      }
      setBusy([button], false);
      form.reset();
      form.hidden = true;
      const item = form.closest('li');
      const itemToggle = item && $('button.respond', item);
      if (itemToggle) {
        itemToggle.setAttribute('aria-expanded', 'false');
        itemToggle.focus();
      }
      await loadTimeline(false);
      const again = $('#timeline > li[data-id="' + CSS.escape(entry.id) + '"] button.respond');
      if (again && document.activeElement !== again) again.focus();
      notify(w('shared_note'));
    });
    return [toggle, form];
  }

  // When an item is rebuilt while its response form is open or holds words, the form moves along.
  function carryRespondForm(oldItem, newItem) {
    const oldForm = $('form.respond-form', oldItem);
    const newForm = $('form.respond-form', newItem);
    if (!oldForm || !newForm) return;
    const text = $('textarea.respond-text', oldForm);
    if (oldForm.hidden && !(text && text.value)) return;
    newForm.replaceWith(oldForm);
    const toggle = $('button.respond', newItem);
    if (toggle) toggle.setAttribute('aria-expanded', String(!oldForm.hidden));
  }

  // ---------------------------------------------------------------------------------------------
  // Exercises: doing a step together (GET /api/exercises). Both answer the same question; each
  // sees the other's answer only once both have answered.

  // Stages in which an answer may still be given, and in which the starter may still withdraw.
  const ANSWERABLE = new Set(['waiting_for_both', 'waiting_for_you']);
  const WITHDRAWABLE = new Set(['waiting_for_both', 'waiting_for_you', 'waiting_for_partner']);

  // cli's words for the exercises (wording.json), with the partner's name where it says {partner}.
  function wx(...path) {
    return w('exercises', ...path).split('{partner}').join(partnerName() || 'your partner').trim();
  }

  function catalogueEntry(name) {
    const catalogue = S.exercises ? S.exercises.catalogue : [];
    return catalogue.find((guide) => guide.name === name) || null;
  }

  function viewExercises(body) {
    body.append(
      h('p', { class: 'lead' },
        'An exercise asks you both the same question. Each of you answers privately, and neither ',
        'sees the other\'s answer until both have answered, so that neither answer is a reaction ',
        'to the other. There is no right answer, and no hurry.'),
      h('p', { id: 'exercise-partner-note', class: 'exercise-note', hidden: true }),
      h('h2', { id: 'exercises-current' }, 'Your exercises together'),
      h('ul', { id: 'exercise-list', class: 'exercise-list', 'aria-labelledby': 'exercises-current' }),
      h('h2', { id: 'exercises-start' }, 'Start one together'),
      h('ul', { id: 'exercise-catalogue', class: 'exercise-catalogue', 'aria-labelledby': 'exercises-start' }));
    loadExercises(true);
  }

  async function loadExercises(background) {
    const data = await getForView('exercises', '/api/exercises', background);
    if (!data) return;
    const list = $('#exercise-list');
    if (!viewIs('exercises') || !list) return;
    S.exercises = {
      catalogue: Array.isArray(data.catalogue) ? data.catalogue : [],
      exercises: Array.isArray(data.exercises) ? data.exercises : [],
      paired: Boolean(data.paired),
      software: data.partner_software || {},
    };
    renderExercisePartnerNote();
    const context = partnerName() + '|' + S.overview.name;
    reconcile(list, S.exercises.exercises.map((exercise) => ({
      key: exercise.id,
      sig: JSON.stringify(exercise) + context,
      build: () => buildExerciseItem(exercise),
    })), carryExerciseAnswer);
    setEmpty(list, 'exercise-list-empty',
      'You have not started an exercise together yet. Whenever one of you feels like it, the list below has five.',
      S.exercises.exercises.length === 0);
    const catalogue = $('#exercise-catalogue');
    reconcile(catalogue, S.exercises.catalogue.map((guide) => ({
      key: guide.name,
      sig: JSON.stringify(guide) + String(S.exercises.paired) + stepTitle(guide.step),
      build: () => buildCatalogueItem(guide),
    })));
  }

  function renderExercisePartnerNote() {
    const note = $('#exercise-partner-note');
    if (!note) return;
    let text = '';
    if (!S.exercises.paired) text = 'Exercises are done with a partner: once you have paired on the Partner page, you can start one here.';
    else if (S.exercises.software.lacks_exercises) text = wx('partner_lacks_exercises');
    else if (S.exercises.software.sent_unknown) text = wx('partner_sent_unknown');
    note.textContent = text;
    note.hidden = text === '';
  }

  function buildCatalogueItem(guide) {
    const headId = 'exercise-guide-' + guide.name;
    const title = stepTitle(guide.step);
    const questions = Array.isArray(guide.questions) ? guide.questions : [];
    return h('li', { class: 'exercise-guide', 'data-exercise': guide.name },
      h('h3', { class: 'title', id: headId }, guide.title),
      h('p', { class: 'step-number' }, 'For step ' + guide.step + (title ? ': ' + title : '')),
      h('p', { class: 'purpose' }, guide.purpose),
      h('p', { class: 'prompts-heading' }, questions.length > 1 ? 'You each answer:' : 'You each answer this:'),
      h('ul', { class: 'prompt-list' }, questions.map((question) => h('li', null, question))),
      S.exercises.paired
        ? h('div', { class: 'entry-actions' },
          h('button', {
            type: 'button', class: 'exercise-start', 'data-exercise': guide.name,
            'aria-describedby': headId, onclick: (event) => startExercise(guide.name, event.currentTarget),
          }, 'Start this one together'))
        : null);
  }

  function startedLine(exercise) {
    const who = exercise.started_by === 'me' ? 'you' : (partnerName() || 'your partner');
    return 'Started by ' + who + ' on ' + localDate(exercise.started);
  }

  function buildExerciseItem(exercise) {
    const guide = catalogueEntry(exercise.exercise);
    const headId = 'exercise-head-' + exercise.id;
    const li = h('li', {
      class: 'exercise', 'data-id': exercise.id, 'data-stage': exercise.stage,
      'data-started-by': exercise.started_by, tabindex: '-1',
    });
    li.append(
      h('h3', { class: 'title', id: headId },
        guide ? guide.title : 'An exercise this attune does not know yet (' + exercise.exercise + ')'),
      h('p', { class: 'entry-head' },
        exercise.step ? h('span', { class: 'entry-kind' }, 'Step ' + exercise.step) : null,
        h('time', { class: 'entry-date', datetime: exercise.started }, startedLine(exercise))));
    const questions = guide && Array.isArray(guide.questions) ? guide.questions : [];
    if (questions.length) li.append(h('ul', { class: 'prompt-list' }, questions.map((q) => h('li', null, q))));
    li.append(h('p', { class: 'state exercise-stage' }, sentence(wx('stages', exercise.stage))));
    if (exercise.stage === 'revealed') {
      li.append(buildRevealedAnswers(exercise));
    } else if (typeof exercise.my_answer === 'string') {
      li.append(h('div', { class: 'my-answer-alone' },
        h('p', { class: 'who' }, 'Your answer'),
        h('p', { class: 'text my-answer' }, exercise.my_answer)));
    }
    if (ANSWERABLE.has(exercise.stage) && typeof exercise.my_answer !== 'string') {
      li.append(buildExerciseAnswerForm(exercise, headId));
    }
    if (exercise.started_by === 'me' && WITHDRAWABLE.has(exercise.stage)) {
      li.append(h('div', { class: 'entry-actions' },
        h('button', {
          type: 'button', class: 'exercise-withdraw', 'aria-describedby': headId,
          onclick: (event) => withdrawExercise(exercise, event.currentTarget),
        }, 'Withdraw this exercise')));
    }
    return li;
  }

  // Both answers side by side (one above the other on a narrow screen).
  function buildRevealedAnswers(exercise) {
    return h('div', { class: 'answers-side-by-side' },
      h('section', { class: 'answer-mine', 'aria-label': 'Your answer' },
        h('p', { class: 'who' }, 'You'),
        h('p', { class: 'text my-answer' }, exercise.my_answer || '')),
      h('section', { class: 'answer-partner', 'aria-label': (partnerName() || 'Your partner') + '’s answer' },
        h('p', { class: 'who' }, partnerName() || 'Your partner'),
        h('p', { class: 'text partner-answer' }, exercise.partner_answer || '')));
  }

  function buildExerciseAnswerForm(exercise, headId) {
    const textId = 'exercise-answer-' + exercise.id;
    const hintId = textId + '-hint';
    const text = h('textarea', { id: textId, class: 'exercise-answer', rows: 5, 'aria-describedby': hintId });
    const send = h('button', { type: 'submit', class: 'exercise-answer-send button-primary' }, 'Give my answer');
    const form = h('form', { class: 'exercise-answer-form', novalidate: true, 'aria-labelledby': headId },
      h('div', { class: 'field' },
        h('label', { for: textId }, 'Your answer, private until you have both answered'),
        h('p', { class: 'hint', id: hintId }, wx('answer_hint')),
        text),
      h('div', { class: 'form-actions' }, send));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      answerExercise(exercise, form);
    });
    return form;
  }

  // When an item is rebuilt (the partner answered meanwhile) while an answer is being written,
  // the words move along.
  function carryExerciseAnswer(oldItem, newItem) {
    const oldForm = $('form.exercise-answer-form', oldItem);
    const newForm = $('form.exercise-answer-form', newItem);
    const text = oldForm && $('textarea.exercise-answer', oldForm);
    if (oldForm && newForm && text && text.value) newForm.replaceWith(oldForm);
  }

  function exerciseItem(id) {
    return $('#exercise-list > li.exercise[data-id="' + CSS.escape(id) + '"]');
  }

  async function startExercise(name, button) {
    setBusy([button], true);
    let started;
    try {
      started = await api('POST', '/api/exercises', { name });
    } catch (e) {
      setBusy([button], false);
      showError(e);
      return;
    }
    setBusy([button], false);
    await loadExercises(false);
    const id = started.exercise && started.exercise.id;
    const item = id ? exerciseItem(id) : null;
    const answer = item && $('textarea.exercise-answer', item);
    if (answer) answer.focus();
    else if (item) item.focus();
    notify(wx('asked_note'));
  }

  async function answerExercise(exercise, form) {
    const button = $('button.exercise-answer-send', form);
    const text = $('textarea.exercise-answer', form);
    if (!text.value.trim()) {
      showError('Write your answer first; it can be as short as you like.');
      text.focus();
      return;
    }
    setBusy([button], true);
    let answered;
    try {
      answered = await api('POST', '/api/exercises/' + encodeURIComponent(exercise.id) + '/answer', { answer: text.value });
    } catch (e) {
      setBusy([button], false);
      showError(e);
      return;
    }
    // The words are given: the form goes, even if the item is not rebuilt.
    form.remove();
    await loadExercises(false);
    const item = exerciseItem(exercise.id);
    if (item) item.focus();
    const both = answered.exercise && answered.exercise.stage === 'revealing';
    notify(wx(both ? 'answered_both_note' : 'answered_note'));
  }

  async function withdrawExercise(exercise, button) {
    setBusy([button], true);
    try {
      await api('POST', '/api/exercises/' + encodeURIComponent(exercise.id) + '/withdraw', {});
    } catch (e) {
      setBusy([button], false);
      showError(e);
      return;
    }
    await loadExercises(false);
    const item = exerciseItem(exercise.id);
    if (item) item.focus();
    notify(wx('withdrawn_note'));
  }

  // ---------------------------------------------------------------------------------------------
  // Partner

  function safetyGroups(number) {
    const text = String(number || '');
    const digits = text.replace(/\D/g, '');
    if (!digits) return text ? [text] : [];
    const groups = [];
    for (let i = 0; i < digits.length; i += 5) groups.push(digits.slice(i, i + 5));
    return groups;
  }

  function linkStateOf(overview) {
    if (!overview.paired) return 'not_paired';
    const state = overview.link && overview.link.state;
    return ['connected', 'not_connected', 'not_paired'].includes(state) ? state : 'not_connected';
  }

  function linkPathText(path) {
    if (path === 'direct') return 'Directly, on your local network.';
    if (path === 'tor') return 'Through Tor.';
    return '';
  }

  function viewPartner(body) {
    const o = S.overview;
    const state = linkStateOf(o);
    const linkState = h('p', { id: 'link-state', class: 'link-state', 'data-state': state }, w('link', state));
    if (!o.paired || !o.partner) {
      S.partnerShown = 'unpaired';
      body.append(...buildPairing(linkState));
      renderPairing();
      loadPairing();
      return;
    }
    S.partnerShown = 'paired';
    const partner = o.partner;
    const groups = safetyGroups(partner.safety_number);
    const number = h('p', { id: 'safety-number', class: 'safety-number' });
    groups.forEach((group, i) => {
      if (i) number.append(' ');
      number.append(h('span', { class: 'safety-group' }, group));
    });
    if (pairingState().state === 'paired') body.append(buildPairedNote());
    body.append(
      h('section', { class: 'card', 'aria-labelledby': 'partner-heading' },
        h('h2', { id: 'partner-heading' }, 'Who you are paired with'),
        h('p', { class: 'partner-line' }, 'You are paired with ', h('strong', { id: 'partner-name' }, partner.name || '')),
        linkState,
        h('p', { id: 'link-path', class: 'quiet' }, linkPathText(o.link && o.link.path)),
        h('p', { id: 'last-contact', class: 'quiet' }, lastContactText(partner.last_contact))),
      h('section', { class: 'card', 'aria-labelledby': 'safety-heading' },
        h('h2', { id: 'safety-heading' }, 'Safety number'),
        h('p', { id: 'safety-advice' }, w('safety_number_advice'), ' Five digits at a time is easiest.'),
        number,
        h('details', { class: 'fingerprints' },
          h('summary', null, 'Fingerprints'),
          h('dl', null,
            h('dt', null, 'Yours'), h('dd', null, h('code', null, partner.own_fingerprint || '')),
            h('dt', null, (partner.name || 'Your partner') + "'s"), h('dd', null, h('code', null, partner.partner_fingerprint || ''))))),
      h('section', { class: 'card', 'aria-labelledby': 'unpair-heading' },
        h('h2', { id: 'unpair-heading' }, 'Unpairing'),
        h('p', null, 'If you decide to stop sharing with each other, you can unpair. Your own journal stays as it is.'),
        h('button', { type: 'button', id: 'unpair', onclick: startUnpair }, 'Unpair…')));
    loadPairing();
  }

  // --- pairing from the page (docs/ui.md, "Pairing"): the node pairs, the page shows how it goes

  const PAIR_STATES = ['idle', 'inviting', 'joining', 'paired', 'failed'];

  function pairingState() {
    const state = S.pairing && typeof S.pairing === 'object' ? S.pairing : {};
    return PAIR_STATES.includes(state.state) ? state : { state: 'idle' };
  }

  // What the unpaired page shows: a pairing that ended before (the journal unpaired since) is
  // nothing under way any more.
  function shownPairingState() {
    const state = pairingState();
    if (state.state === 'paired' && !S.overview.paired && !S.pairingSettling) return { state: 'idle' };
    return state;
  }

  function pairingStatusText(state) {
    switch (state.state) {
      case 'inviting':
        if (S.pairingCancelling) return 'Withdrawing the invitation…';
        return state.code
          ? 'Your code is ready. Waiting for your partner to enter it (for up to 10 minutes).'
          : 'Making a code…';
      case 'joining': return 'Looking for your partner\'s invitation and joining it…';
      case 'paired': return 'Paired' + (state.partner_name ? ' with ' + state.partner_name : '') + '.';
      case 'failed': return 'Pairing did not complete. You can try again whenever you are both ready.';
      default: return 'No pairing under way.';
    }
  }

  function pairingErrorMessage(state) {
    const outer = state.error && typeof state.error === 'object' ? state.error : null;
    const error = outer && outer.error && typeof outer.error === 'object' ? outer.error : null;
    return error && typeof error.message === 'string' && error.message ? error.message : 'Pairing did not complete.';
  }

  function buildPairing(linkState) {
    const invite = h('button', { type: 'button', id: 'pair-invite', class: 'button-primary', onclick: startInvite }, 'Show a code');
    const cancel = h('button', { type: 'button', id: 'pair-cancel', onclick: cancelInvite }, 'Withdraw the invitation');
    const code = h('input', {
      id: 'pair-join-code', type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', class: 'pair-input',
    });
    const address = h('input', {
      id: 'pair-join-address', type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
      inputmode: 'url', class: 'pair-input',
    });
    const submit = h('button', { type: 'submit', id: 'pair-join-submit', class: 'button-primary' }, 'Join');
    return [
      h('section', { class: 'card', 'aria-labelledby': 'pairing-heading' },
        h('h2', { id: 'pairing-heading' }, 'Pairing'),
        linkState,
        h('p', null,
          'Pair when you are together, or talking on a call you trust. One of you shows a code; ',
          'the other enters it, here or with ', h('code', null, 'attune pair --join'), '. ',
          'Pairing shares nothing from your journals: you choose what to share, entry by entry.'),
        h('p', { id: 'pair-status', class: 'pair-status', role: 'status', tabindex: '-1', 'data-state': 'idle' })),
      h('div', { class: 'pair-ways' },
        h('section', { class: 'card pair-way', 'aria-labelledby': 'pair-invite-heading' },
          h('h2', { id: 'pair-invite-heading' }, 'Show a code'),
          h('p', { class: 'quiet' }, 'Your attune makes a short code and waits for your partner to enter it, for up to 10 minutes.'),
          invite,
          h('div', { id: 'pair-invitation', class: 'pair-invitation', hidden: true },
            h('div', { id: 'pair-offer', class: 'pair-offer', hidden: true },
              h('p', { class: 'pair-label', id: 'pair-code-label' }, 'Your code'),
              h('p', { id: 'pair-code', class: 'pair-code', 'aria-labelledby': 'pair-code-label' }),
              h('p', { class: 'pair-label', id: 'pair-address-label' }, 'Address'),
              h('p', { id: 'pair-address', class: 'pair-address', 'aria-labelledby': 'pair-address-label' }),
              h('p', { id: 'pair-read-aloud' },
                'Read the code to your partner, in person or on a call you trust, and give them the address. ',
                'They enter both under “Enter a code” on their own page.')),
            cancel)),
        h('section', { class: 'card pair-way', 'aria-labelledby': 'pair-join-heading' },
          h('h2', { id: 'pair-join-heading' }, 'Enter a code'),
          h('p', { class: 'quiet' }, 'When your partner’s page shows a code, type it here.'),
          h('form', { id: 'pair-join-form', class: 'pair-join-form', novalidate: true, 'aria-labelledby': 'pair-join-heading', onsubmit: submitJoin },
            h('div', { class: 'field' }, h('label', { for: 'pair-join-code' }, 'Pairing code'), code),
            h('div', { class: 'field' },
              h('label', { for: 'pair-join-address' }, 'Address your partner\'s page shows (leave empty to look on this network)'),
              address),
            h('div', { class: 'form-actions' }, submit)))),
    ];
  }

  function buildPairedNote() {
    const state = pairingState();
    return h('section', { id: 'pair-done', class: 'card pair-done', 'aria-labelledby': 'paired-heading' },
      h('h2', { id: 'paired-heading', tabindex: '-1' }, 'Pairing is done'),
      h('p', { id: 'pair-status', class: 'pair-status', role: 'status', tabindex: '-1', 'data-state': 'paired' }, pairingStatusText(state)),
      h('p', { id: 'pair-done-advice' }, 'One more step keeps it safe. ', w('safety_number_advice')),
      h('p', null, w('pairing_shared_nothing')));
  }

  // Updates the unpaired page in place (what is typed in the join form stays).
  function renderPairing() {
    const status = $('#pair-status');
    if (!status || S.partnerShown !== 'unpaired') return;
    const state = shownPairingState();
    status.dataset.state = state.state;
    status.textContent = pairingStatusText(state);
    const inviting = state.state === 'inviting';
    const busy = inviting || state.state === 'joining' || S.closed;
    const invite = $('#pair-invite');
    invite.hidden = inviting;
    invite.disabled = busy;
    $('#pair-invitation').hidden = !inviting;
    $('#pair-offer').hidden = !(inviting && state.code);
    $('#pair-code').textContent = inviting && state.code ? state.code : '';
    $('#pair-address').textContent = inviting && state.address ? state.address : '';
    $('#pair-cancel').disabled = S.pairingCancelling || S.closed;
    for (const control of $$('#pair-join-form input, #pair-join-form button')) control.disabled = busy;
  }

  // After the pairing part changed: if the focus was lost (its control went away or was switched
  // off), it goes to what comes next.
  function settlePairingFocus() {
    // Only after something started here: a page just opened keeps the focus where it is.
    if (S.closed || !viewIs('partner') || S.partnerShown !== 'unpaired' || !S.pairingControl) return;
    const active = document.activeElement;
    const body = $('#view-body');
    // The status line holds the focus only while nothing can be used: it passes it on.
    const lost = !active || active === document.body || active.id === 'pair-status'
      || (body.contains(active) && (active.disabled || active.closest('[hidden]') !== null));
    if (!lost) return;
    const usable = (el) => el && el.isConnected && !el.disabled && el.closest('[hidden]') === null;
    const state = shownPairingState().state;
    const order = [];
    if (state === 'inviting') order.push('#pair-cancel');
    if (state === 'idle' || state === 'failed') order.push(S.pairingControl, '#pair-invite');
    order.push('#pair-status');
    for (const selector of order) {
      const el = selector ? $(selector) : null;
      if (usable(el)) {
        el.focus();
        return;
      }
    }
  }

  // A state from the node: from an event (always the newest), or an answer (only when no event
  // came meanwhile).
  function applyPairing(state, fromEvent) {
    if (!state || typeof state !== 'object') return;
    S.pairing = state;
    if (state.state !== 'inviting') S.pairingCancelling = false;
    if (state.state === 'failed') {
      const key = JSON.stringify(state.error || null);
      if (key !== S.pairingErrorKey && viewIs('partner')) {
        S.pairingErrorKey = key;
        showError(pairingErrorMessage(state));
      }
    } else {
      S.pairingErrorKey = '';
    }
    if (state.state === 'paired') {
      onPaired(Boolean(fromEvent));
      return;
    }
    if (viewIs('partner')) {
      renderPairing();
      settlePairingFocus();
    }
  }

  function onPairingEvent(event) {
    let state = null;
    try {
      state = JSON.parse(event.data);
    } catch (e) { /* not a state: nothing to show */ }
    S.pairingEvents += 1;
    applyPairing(state, true);
  }

  async function loadPairing() {
    const seen = S.pairingEvents;
    const data = await getForView('partner', '/api/pairing', true);
    if (!data) return;
    if (seen === S.pairingEvents && viewIs('partner')) applyPairing(data);
  }

  // Paired: the overview names the partner; the page becomes the paired Partner page, with the
  // safety number to compare.
  async function onPaired(justNow) {
    if (!S.overview.paired) {
      S.pairingSettling = justNow;
      if (viewIs('partner')) renderPairing();
      await reloadOverview(true);
      S.pairingSettling = false;
    }
    if (!viewIs('partner')) return;
    const body = $('#view-body');
    if (!S.overview.paired) {
      renderPairing();
      settlePairingFocus();
      return;
    }
    if (S.partnerShown === 'paired') {
      if (!$('#pair-done')) body.prepend(buildPairedNote());
      return;
    }
    const active = document.activeElement;
    const hadFocus = !active || active === document.body || body.contains(active);
    body.replaceChildren();
    viewPartner(body);
    if (hadFocus) $('#paired-heading').focus();
  }

  async function pairingRequest(path, payload) {
    const seen = S.pairingEvents;
    // The outcome arrives as a pairing event, which may come before this answer is read (a
    // wrong code fails within milliseconds on one machine): the answer must not clear the error
    // that event showed, so the error is cleared now and the request runs in the background.
    clearError();
    const data = await api('POST', path, payload, { background: true });
    if (seen === S.pairingEvents) applyPairing(data);
    else if (viewIs('partner')) {
      renderPairing();
      settlePairingFocus();
    }
  }

  async function startInvite() {
    S.pairingControl = '#pair-invite';
    $('#pair-invite').disabled = true;
    try {
      await pairingRequest('/api/pairing/invite', {});
    } catch (e) {
      renderPairing();
      settlePairingFocus();
      showError(e);
    }
  }

  async function cancelInvite() {
    S.pairingControl = '#pair-invite';
    S.pairingCancelling = true;
    renderPairing();
    try {
      await pairingRequest('/api/pairing/cancel', {});
    } catch (e) {
      S.pairingCancelling = false;
      renderPairing();
      settlePairingFocus();
      showError(e);
    }
  }

  async function submitJoin(event) {
    event.preventDefault();
    const codeInput = $('#pair-join-code');
    const code = codeInput.value.trim();
    if (!code) {
      showError('Type the code your partner\'s page shows, then choose Join.');
      codeInput.focus();
      return;
    }
    S.pairingControl = '#pair-join-submit';
    $('#pair-join-submit').disabled = true;
    try {
      await pairingRequest('/api/pairing/join', { code, address: $('#pair-join-address').value.trim() });
    } catch (e) {
      renderPairing();
      settlePairingFocus();
      showError(e);
    }
  }

  function lastContactText(iso) {
    return iso ? 'Last in touch: ' + localDateTime(iso) : 'Not in touch yet.';
  }

  // A link event: only the link lines change, so focus and any open dialog stay as they are.
  function updatePartnerLive(previousPaired) {
    if (!viewIs('partner')) return;
    const o = S.overview;
    const body = $('#view-body');
    const dialogOpen = $$('dialog').some((d) => d.open);
    if (previousPaired !== o.paired && !dialogOpen && !body.contains(document.activeElement)) {
      body.replaceChildren();
      viewPartner(body);
      return;
    }
    const state = linkStateOf(o);
    const linkState = $('#link-state');
    if (linkState) {
      linkState.dataset.state = state;
      linkState.textContent = w('link', state);
    }
    const path = $('#link-path');
    if (path) path.textContent = linkPathText(o.link && o.link.path);
    const last = $('#last-contact');
    if (last && o.partner) last.textContent = lastContactText(o.partner.last_contact);
  }

  function startUnpair() {
    $('#unpair-dialog-title').textContent = partnerName() ? 'Unpair from ' + partnerName() + '?' : 'Unpair?';
    $('#unpair-keep').checked = true;
    openDialog($('#unpair-dialog'), $('#unpair-cancel'));
  }

  async function confirmUnpair() {
    const dialog = $('#unpair-dialog');
    const keep = $('#unpair-keep').checked;
    setBusy([$('#unpair-confirm'), $('#unpair-cancel')], true);
    try {
      await api('POST', '/api/unpair', { keep_entries: keep });
    } catch (e) {
      closeDialog(dialog);
      showError(e);
      return;
    }
    closeDialog(dialog, $('#view-title'));
    await reloadOverview(false);
    if (viewIs('partner')) {
      const body = $('#view-body');
      body.replaceChildren();
      viewPartner(body);
    }
    notify('You are no longer paired. What you had shared is private again.');
  }

  // ---------------------------------------------------------------------------------------------
  // Steps

  function viewSteps(body) {
    body.append(
      h('p', { class: 'lead', id: 'steps-preamble' }, w('steps_preamble')),
      h('p', { id: 'next-step', class: 'next-step' }),
      h('ol', { id: 'steps-list', class: 'steps-list' }));
    renderSteps();
  }

  function renderSteps() {
    const list = $('#steps-list');
    if (!list) return;
    const o = S.overview;
    const next = $('#next-step');
    const suggested = o.steps.find((s) => s.step === o.suggested_step);
    if (suggested) {
      next.replaceChildren('A gentle next step: ',
        h('a', { href: '#/steps/' + suggested.step }, 'Step ' + suggested.step + ', ' + suggested.title),
        '. Only if and when it feels right.');
    } else {
      next.replaceChildren('Every step stays open to you, to come back to whenever you like.');
    }
    const partnerSteps = Array.isArray(o.partner_steps) ? o.partner_steps : [];
    reconcile(list, o.steps.map((step) => {
      const theirs = partnerSteps.find((s) => s.step === step.step) || null;
      return {
        key: String(step.step),
        sig: JSON.stringify([step, theirs, partnerName()]),
        build: () => buildStepItem(step, theirs),
      };
    }));
  }

  // Where the partner is in a step, from what they shared (they may have more, kept private).
  function partnerStepLine(theirs) {
    if (!theirs || !theirs.started) return null;
    return h('p', { class: 'partner-summary' }, partnerName() + ' has shared: ' + theirs.summary);
  }

  function buildStepItem(step, theirs) {
    const classes = ['step'];
    if (step.complete) classes.push('is-complete');
    else if (step.started) classes.push('is-started');
    let stateText = '';
    if (step.complete) stateText = 'Done for now. You can always add more.';
    else if (step.started) stateText = 'Under way.';
    return h('li', { class: classes.join(' '), 'data-step': step.step },
      h('p', { class: 'step-number' }, 'Step ' + step.step),
      h('h2', { class: 'title' }, h('a', { class: 'step-link', href: '#/steps/' + step.step }, step.title)),
      h('p', { class: 'summary' }, step.summary),
      stateText ? h('p', { class: 'step-state' }, stateText) : null,
      partnerStepLine(theirs));
  }

  async function viewStep(body, number, seq) {
    const back = h('p', { class: 'back' }, h('a', { href: '#/steps' }, 'All nine steps'));
    body.append(back);
    let detail;
    try {
      detail = await stepDetail(number);
    } catch (e) {
      if (seq === S.renderSeq) showError(e);
      return;
    }
    if (seq !== S.renderSeq || !viewIs('step')) return;
    clearError();
    setTitle('Step ' + number);
    const kinds = Array.isArray(detail.kinds) ? detail.kinds : [];
    body.append(
      h('h2', { class: 'step-title' }, detail.title || stepTitle(number)),
      h('p', { id: 'step-guidance', class: 'lead' }, detail.guidance || ''),
      h('section', { 'aria-labelledby': 'step-prompts-heading' },
        h('h3', { id: 'step-prompts-heading' }, 'Questions to reflect on'),
        h('ul', { id: 'step-prompts', class: 'prompt-list' },
          (Array.isArray(detail.prompts) ? detail.prompts : []).map((p) => h('li', null, p)))),
      h('section', { 'aria-labelledby': 'step-kinds-heading' },
        h('h3', { id: 'step-kinds-heading' }, 'What you can write'),
        h('ul', { id: 'step-kinds', class: 'step-kinds' }, kinds.map(buildStepKind))));
    if (number === 5) await showThemes(body, seq);
  }

  // Step 5: the feelings, tags and words that recur across your triggers (as `attune themes`).
  async function showThemes(body, seq) {
    let themes;
    try {
      themes = await api('GET', '/api/themes', undefined, { background: true });
    } catch (e) {
      if (seq === S.renderSeq) showError(e);
      return;
    }
    if (seq !== S.renderSeq || !viewIs('step')) return;
    const terms = (list) => (Array.isArray(list) ? list : []).map((t) =>
      h('li', null, h('span', { class: 'theme-term' }, t.term), ' ',
        h('span', { class: 'quiet' }, '(' + t.count + (t.count === 1 ? ' trigger)' : ' triggers)'))));
    const feelings = terms(themes.feelings);
    const tags = terms(themes.tags);
    const words = terms(themes.words);
    body.append(h('section', { id: 'themes', 'aria-labelledby': 'themes-heading' },
      h('h3', { id: 'themes-heading' }, 'What recurs in your triggers'),
      feelings.length || tags.length || words.length
        ? h('p', { class: 'quiet' }, 'A theme can point to a wound beneath it. Notice, without judging.')
        : h('p', { class: 'quiet' }, 'Themes appear here once you have noted a few triggers (step 4).'),
      feelings.length ? h('h4', null, 'Feelings') : null,
      feelings.length ? h('ul', { id: 'theme-feelings', class: 'theme-list' }, feelings) : null,
      tags.length ? h('h4', null, 'Tags') : null,
      tags.length ? h('ul', { id: 'theme-tags', class: 'theme-list' }, tags) : null,
      words.length ? h('h4', null, 'Words that come back') : null,
      words.length ? h('ul', { id: 'theme-words', class: 'theme-list' }, words) : null));
  }

  function buildStepKind(kind) {
    const li = h('li', { class: 'step-kind card', 'data-kind': kind.name },
      h('h4', { class: 'kind-name' }, kind.name),
      h('p', { class: 'kind-description' }, kind.description),
      h('p', { class: 'quiet' },
        kind.meant_for_sharing ? 'Made to be shared, when you feel ready.' : 'Usually kept just for you.',
        kind.suggested ? ' This step suggests ' + kind.suggested + ', at your own pace.' : ''));
    if (kind.name === 'style') {
      li.append(
        h('p', null, 'Your style result comes from a short quiz: eighteen statements, about five minutes, at your own pace.'),
        h('p', null, h('a', { href: '#/quiz', class: 'quiz-link', 'data-kind': 'style' }, 'Go to the quiz')));
    } else if (!NOT_WRITTEN_HERE.has(kind.name)) {
      li.append(h('button', {
        type: 'button', class: 'add-kind', 'data-kind': kind.name,
        onclick: () => {
          S.pendingKind = kind.name;
          if (S.entryForm && S.entryForm.mode === 'edit') S.entryForm = null;
          location.hash = '#/journal';
        },
      }, 'Start ' + article(kind.name) + ' ' + kind.name + ' entry'));
    }
    return li;
  }

  // ---------------------------------------------------------------------------------------------
  // Quiz (docs/ui.md, "Quiz"): one statement at a time, then the result and its chart

  const SVG_NS = 'http://www.w3.org/2000/svg';

  // svg('circle', {class: 'x', cx: 1}, 'text', child): an SVG element, text as text.
  function svg(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        el.setAttribute(key, String(value));
      }
    }
    appendAll(el, children);
    return el;
  }

  async function quizData() {
    if (!S.quiz) S.quiz = await api('GET', '/api/quiz', undefined, { background: true });
    return S.quiz;
  }

  function quizItems() {
    return S.quiz && Array.isArray(S.quiz.items) ? S.quiz.items : [];
  }

  function quizScale() {
    return S.quiz && Array.isArray(S.quiz.scale) ? S.quiz.scale : [];
  }

  function styleHistory() {
    return S.styleResults && Array.isArray(S.styleResults.history) ? S.styleResults.history : [];
  }

  function newQuizRun() {
    return { answers: quizItems().map(() => null), index: 0 };
  }

  function viewQuiz(body, seq) {
    body.append(h('div', { id: 'quiz-area', class: 'quiz-area' }));
    loadQuiz(seq);
  }

  async function loadQuiz(seq) {
    let style;
    try {
      [, style] = await Promise.all([
        quizData(),
        api('GET', '/api/style', undefined, { background: true }),
      ]);
    } catch (e) {
      if (seq === S.renderSeq && viewIs('quiz')) showError(e);
      return;
    }
    if (seq !== S.renderSeq || !viewIs('quiz')) return;
    S.styleResults = style;
    // A quiz left halfway goes on where it was; otherwise the latest result, or the first item.
    if (S.quizRun && S.quizRun.answers.length === quizItems().length) renderQuizRun(false);
    else if (styleHistory().length) renderQuizResult(false);
    else {
      S.quizRun = newQuizRun();
      renderQuizRun(false);
    }
  }

  function quizDisclaimer() {
    return h('p', { id: 'quiz-disclaimer', class: 'quiz-disclaimer' }, (S.quiz && S.quiz.disclaimer) || '');
  }

  function renderQuizRun(moveFocus) {
    const area = $('#quiz-area');
    if (!area) return;
    const run = S.quizRun;
    const scale = quizScale();
    const back = h('button', { type: 'button', id: 'quiz-back' }, 'Back');
    const next = h('button', { type: 'submit', id: 'quiz-next', class: 'button-primary' });
    const options = scale.map((label, i) => {
      const value = i + 1;
      const id = 'quiz-answer-' + value;
      return h('div', { class: 'quiz-option' },
        h('input', { type: 'radio', name: 'quiz-answer', id, value: String(value) }),
        h('label', { for: id },
          h('span', { class: 'quiz-option-number' }, String(value)), ' ',
          h('span', { class: 'quiz-option-label' }, label)));
    });
    const choose = h('p', { id: 'quiz-choose', class: 'quiz-choose', 'aria-live': 'polite' });
    const scaleSet = h('fieldset', { id: 'quiz-scale', class: 'quiz-scale', 'aria-describedby': 'quiz-progress quiz-item' },
      h('legend', null, 'How much do you agree?'),
      h('div', { class: 'quiz-options' }, options));
    const form = h('form', { id: 'quiz-form', class: 'quiz-form card', novalidate: true, 'aria-label': 'The quiz' },
      h('p', { id: 'quiz-progress', class: 'quiz-progress' }),
      h('p', { id: 'quiz-item', class: 'quiz-item' }),
      scaleSet,
      choose,
      h('div', { class: 'form-actions quiz-actions' }, back, next));
    area.replaceChildren(
      quizDisclaimer(),
      S.quiz.scale_description ? h('p', { class: 'hint quiz-scale-description' }, S.quiz.scale_description) : null,
      h('p', { class: 'quiet' }, 'Take your time: there is no hurry, and you can go back to change an answer. Your answers stay private in your journal.'),
      form);

    const radios = () => $$('input[name="quiz-answer"]', form);
    const chosen = () => {
      const checked = radios().find((r) => r.checked);
      return checked ? Number(checked.value) : null;
    };
    scaleSet.addEventListener('change', () => {
      run.answers[run.index] = chosen();
      choose.textContent = '';
    });
    // Enter on an answer goes on, as the button does.
    scaleSet.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target.matches('input[type="radio"]')) {
        event.preventDefault();
        form.requestSubmit(next);
      }
    });
    back.addEventListener('click', () => {
      if (run.index === 0) return;
      run.answers[run.index] = chosen();
      run.index -= 1;
      showQuizItem(form, true);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const answer = chosen();
      if (answer === null) {
        choose.textContent = 'Choose the answer that fits best to go on. There is no right or wrong one.';
        radios()[0].focus();
        return;
      }
      run.answers[run.index] = answer;
      if (run.index < run.answers.length - 1) {
        run.index += 1;
        showQuizItem(form, true);
      } else {
        submitQuiz(next, back);
      }
    });
    showQuizItem(form, moveFocus);
  }

  function showQuizItem(form, moveFocus) {
    const run = S.quizRun;
    const items = quizItems();
    const item = items[run.index] || {};
    const last = run.index === items.length - 1;
    $('#quiz-progress', form).textContent = 'Statement ' + (run.index + 1) + ' of ' + items.length;
    $('#quiz-item', form).textContent = item.text || '';
    $('#quiz-choose', form).textContent = '';
    const radios = $$('input[name="quiz-answer"]', form);
    for (const radio of radios) radio.checked = Number(radio.value) === run.answers[run.index];
    const back = $('#quiz-back', form);
    back.disabled = run.index === 0;
    $('#quiz-next', form).textContent = last ? 'See my result' : 'Next';
    if (moveFocus) (radios.find((r) => r.checked) || radios[0]).focus();
  }

  async function submitQuiz(next, back) {
    const answers = S.quizRun.answers.slice();
    setBusy([next, back], true);
    let made;
    try {
      made = await api('POST', '/api/quiz', { answers });
    } catch (e) {
      setBusy([next, back], false);
      back.disabled = S.quizRun.index === 0;
      showError(e);
      next.focus();
      return;
    }
    S.quizRun = null;
    try {
      S.styleResults = await api('GET', '/api/style', undefined, { background: true });
    } catch (e) {
      // The result is stored; without the history, it is shown on its own.
      const partner = S.styleResults ? S.styleResults.partner : null;
      S.styleResults = { history: styleHistory().concat(made.result ? [made.result] : []), partner };
    }
    if (!viewIs('quiz')) return;
    renderQuizResult(true);
    notify('Your result is saved in your journal, private until you choose to share it.');
  }

  function score(value) {
    const n = Number(value);
    return Number.isFinite(n) ? n.toFixed(1) : '?';
  }

  function styleSummary(name) {
    const styles = S.quiz && Array.isArray(S.quiz.styles) ? S.quiz.styles : [];
    return styles.find((style) => style.name === name) || null;
  }

  function renderQuizResult(moveFocus) {
    const area = $('#quiz-area');
    if (!area) return;
    const history = styleHistory();
    const latest = history[history.length - 1];
    if (!latest) {
      S.quizRun = newQuizRun();
      renderQuizRun(moveFocus);
      return;
    }
    const partner = S.styleResults.partner || null;
    const who = partnerName() || 'Your partner';
    const primary = styleSummary(latest.primary);
    const again = h('button', { type: 'button', id: 'quiz-again' }, 'Take the quiz again');
    again.addEventListener('click', () => {
      S.quizRun = newQuizRun();
      renderQuizRun(false);
      focusTitle();
    });
    area.replaceChildren(
      h('section', { id: 'quiz-result', class: 'card quiz-result', 'aria-labelledby': 'quiz-result-heading' },
        h('h2', { id: 'quiz-result-heading', tabindex: '-1' }, 'Your latest result'),
        h('p', { id: 'quiz-described', class: 'quiz-described' },
          'Your answers on ', h('time', { datetime: latest.created }, localDate(latest.created)),
          ' suggest a blend of ', h('strong', null, latest.described || ''), '.'),
        primary ? h('h3', { class: 'quiz-summary-heading' }, 'About ' + article(primary.display || primary.name) + ' '
          + (primary.display || primary.name) + ' leaning') : null,
        primary ? h('p', { id: 'quiz-summary', class: 'quiz-summary' }, primary.summary || '') : null,
        partner ? h('p', { id: 'quiz-partner', class: 'quiz-partner' },
          who + '’s latest shared result: ', h('strong', null, partner.described || ''), '.') : null,
        h('figure', { class: 'style-figure' },
          buildStyleChart(latest, partner, who),
          h('figcaption', { class: 'chart-caption' },
            h('ul', { class: 'chart-legend' },
              h('li', null, h('span', { class: 'legend-mark legend-me', 'aria-hidden': 'true' }), 'You (your latest result)'),
              partner ? h('li', null, h('span', { class: 'legend-mark legend-partner', 'aria-hidden': 'true' }),
                who + ' (latest shared result)') : null),
            h('p', { class: 'quiet' },
              'Avoidance runs from 1 at the left to 7 at the right, anxiety from 1 at the bottom to 7 at the top; ',
              'the dashed lines are at 4.'))),
        quizDisclaimer(),
        h('div', { class: 'form-actions' }, again)),
      h('section', { class: 'quiz-history', 'aria-labelledby': 'style-history-heading' },
        h('h2', { id: 'style-history-heading' }, 'Your results over time'),
        h('ol', { id: 'style-history', class: 'style-history' },
          history.slice().reverse().map((result, i) => h('li', { 'data-id': result.entry_id || '' },
            h('time', { class: 'entry-date', datetime: result.created }, localDate(result.created)),
            ' ', h('span', { class: 'history-described' }, result.described || ''),
            i === 0 ? h('span', { class: 'quiet' }, ' (latest)') : null)))));
    if (moveFocus) $('#quiz-result-heading').focus();
  }

  // A square plot: avoidance along the bottom (1 at the left, 7 at the right), anxiety up the side
  // (1 at the bottom, 7 at the top), dashed midlines at 4, the four quarters named.
  function buildStyleChart(me, partner, who) {
    const left = 64;
    const top = 16;
    const size = 312;
    const right = left + size;
    const bottom = top + size;
    const clamp = (v) => Math.min(7, Math.max(1, Number.isFinite(Number(v)) ? Number(v) : 4));
    const round = (n) => Math.round(n * 100) / 100;
    const x = (v) => round(left + ((clamp(v) - 1) / 6) * size);
    const y = (v) => round(top + ((7 - clamp(v)) / 6) * size);
    const words = (whose, result) => whose + ': anxiety ' + score(result.anxiety) + ', avoidance ' + score(result.avoidance)
      + (result.described ? ' (' + result.described + ')' : '') + '.';
    const label = 'Chart of anxiety against avoidance, both from 1 to 7. '
      + words('Your result', me) + (partner ? ' ' + words(who + '’s result', partner) : '');
    const chart = svg('svg', {
      id: 'style-chart', class: 'style-chart', viewBox: '0 0 400 400', role: 'img', 'aria-label': label,
      preserveAspectRatio: 'xMidYMid meet', focusable: 'false',
    }, svg('title', null, label));
    chart.append(svg('rect', { class: 'chart-plot', x: left, y: top, width: size, height: size }));
    for (let v = 1; v <= 7; v++) {
      if (v !== 1 && v !== 4 && v !== 7) {
        chart.append(
          svg('line', { class: 'chart-grid', x1: x(v), y1: top, x2: x(v), y2: bottom }),
          svg('line', { class: 'chart-grid', x1: left, y1: y(v), x2: right, y2: y(v) }));
      }
      chart.append(
        svg('text', { class: 'chart-tick', x: x(v), y: bottom + 24, 'text-anchor': 'middle' }, String(v)),
        svg('text', { class: 'chart-tick', x: left - 12, y: y(v) + 6, 'text-anchor': 'end' }, String(v)));
    }
    chart.append(
      svg('line', { class: 'chart-mid', x1: x(4), y1: top, x2: x(4), y2: bottom }),
      svg('line', { class: 'chart-mid', x1: left, y1: y(4), x2: right, y2: y(4) }),
      svg('rect', { class: 'chart-frame', x: left, y: top, width: size, height: size }),
      svg('text', { class: 'chart-quarter', x: left + 10, y: top + 26 }, 'anxious'),
      svg('text', { class: 'chart-quarter', x: right - 10, y: top + 26, 'text-anchor': 'end' }, 'fearful'),
      svg('text', { class: 'chart-quarter', x: left + 10, y: bottom - 12 }, 'secure'),
      svg('text', { class: 'chart-quarter', x: right - 10, y: bottom - 12, 'text-anchor': 'end' }, 'dismissive'),
      svg('text', { class: 'chart-axis', x: left + size / 2, y: 392, 'text-anchor': 'middle' }, 'more avoidance →'),
      svg('text', {
        class: 'chart-axis', x: 0, y: 0, 'text-anchor': 'middle',
        transform: 'translate(20 ' + (top + size / 2) + ') rotate(-90)',
      }, 'more anxiety →'));
    if (partner) {
      chart.append(svg('rect', {
        class: 'point-partner', x: x(partner.avoidance) - 10, y: y(partner.anxiety) - 10, width: 20, height: 20,
      }));
    }
    chart.append(svg('circle', { class: 'point-me', cx: x(me.avoidance), cy: y(me.anxiety), r: 9 }));
    return chart;
  }

  // The journal changed (a partner's result may have come): the result is drawn again, a quiz under
  // way is left alone.
  async function refreshQuiz(background) {
    if (S.quizRun || !$('#quiz-result')) return;
    const style = await getForView('quiz', '/api/style', background);
    if (!style) return;
    if (!viewIs('quiz') || S.quizRun || JSON.stringify(style) === JSON.stringify(S.styleResults)) return;
    S.styleResults = style;
    const hadAgain = document.activeElement === $('#quiz-again');
    renderQuizResult(false);
    if (hadAgain) $('#quiz-again').focus();
  }

  // ---------------------------------------------------------------------------------------------
  // Live updates

  async function reloadOverview(background) {
    try {
      const data = await api('GET', '/api/overview', undefined, { background });
      applyOverview(data);
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  }

  function applyOverview(data) {
    const o = Object.assign({}, S.overview, data || {});
    if (!Array.isArray(o.kinds)) o.kinds = [];
    if (!Array.isArray(o.steps)) o.steps = [];
    if (!o.link || typeof o.link !== 'object') o.link = { state: 'not_paired', path: null };
    S.overview = o;
    $('#owner-name').textContent = o.name || '';
  }

  // After an action, or when the node says the journal changed: only the lists are rebuilt.
  async function refreshCurrentView(background) {
    if (S.closed) return;
    switch (S.route.name) {
      case 'journal': await loadEntries(background); break;
      case 'sharing': await loadShared(background); break;
      case 'together': await loadTimeline(background); break;
      case 'exercises': await loadExercises(background); break;
      case 'steps':
        if (await reloadOverview(background) && viewIs('steps')) renderSteps();
        break;
      case 'partner': {
        const before = S.overview.paired;
        if (await reloadOverview(background)) updatePartnerLive(before);
        break;
      }
      case 'quiz': await refreshQuiz(background); break;
      default: break;
    }
  }

  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;

  function scheduleRefresh() {
    if (S.closed) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(runRefresh, 100);
  }

  async function runRefresh() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      await refreshCurrentView(true);
    } finally {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        scheduleRefresh();
      }
    }
  }

  async function onLinkEvent() {
    if (S.closed) return;
    const before = S.overview.paired;
    if (await reloadOverview(true)) updatePartnerLive(before);
  }

  function startEvents() {
    if (typeof EventSource !== 'function') return;
    const events = new EventSource('/api/events');
    S.events = events;
    events.addEventListener('journal', scheduleRefresh);
    events.addEventListener('link', onLinkEvent);
    events.addEventListener('pairing', onPairingEvent);
    // After a reconnection, pairing events may have been missed: ask for the state again.
    events.addEventListener('open', () => {
      if (viewIs('partner')) loadPairing();
    });
    events.addEventListener('closing', (event) => {
      let reason = '';
      try {
        reason = JSON.parse(event.data).reason;
      } catch (e) { /* the node is ending either way */ }
      pageClosed(reason === 'idle' ? 'locked' : 'closed');
    });
  }

  // The node has ended (closed here, locked after being idle, or stopped): nothing works any more.
  function pageClosed(which) {
    if (S.closed) return;
    const message = w(which) || w('closed');
    if (S.events) S.events.close();
    clearTimeout(refreshTimer);
    for (const dialog of $$('dialog')) if (dialog.open) dialog.close();
    const notice = $('#notice');
    notice.textContent = message;
    notice.classList.add('is-shown', 'is-final');
    S.closed = true;
    document.body.classList.add('is-closed');
    for (const control of $$('button, input, select, textarea')) control.disabled = true;
    for (const part of [$('.site-header'), $('#view-body'), $('#skip-link')]) if (part) part.inert = true;
    $('#view-title').focus();
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  function wireStatic() {
    for (const dialog of $$('dialog')) wireDialog(dialog);
    $('#delete-confirm').addEventListener('click', confirmDelete);
    $('#delete-cancel').addEventListener('click', () => closeDialog($('#delete-dialog')));
    $('#share-confirm').addEventListener('click', confirmShare);
    $('#share-cancel').addEventListener('click', () => {
      S.share = null;
      closeDialog($('#share-dialog'));
    });
    $('#share-with-answers').addEventListener('change', changeShareAnswers);
    $('#unpair-confirm').addEventListener('click', confirmUnpair);
    $('#unpair-cancel').addEventListener('click', () => closeDialog($('#unpair-dialog')));
    $('#skip-link').addEventListener('click', focusTitle);
    $('#close-ui').addEventListener('click', async () => {
      const button = $('#close-ui');
      button.disabled = true;
      try {
        await api('POST', '/api/close', {});
      } catch (e) {
        button.disabled = false;
        showError(e);
        return;
      }
      pageClosed('closed');
    });
    window.addEventListener('hashchange', () => navigate(true));
  }

  async function start() {
    wireStatic();
    const [wording, overview] = await Promise.allSettled([
      api('GET', '/wording.json', undefined, { background: true }),
      api('GET', '/api/overview', undefined, { background: true }),
    ]);
    if (wording.status === 'fulfilled') S.wording = wording.value;
    if (overview.status === 'fulfilled') applyOverview(overview.value);
    $('#support').textContent = w('support');
    const failed = [wording, overview].find((r) => r.status === 'rejected');
    if (failed) showError(failed.reason);
    startEvents();
    navigate(false);
  }

  start();
}());
