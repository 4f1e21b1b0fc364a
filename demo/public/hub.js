// The hub page: add, verify and publish, edit and remove integrations of the
// demo account. Validation is the runtime's own, run by the server
// (POST /api/validate); the checklist's evidence comes from utt's verify mode
// on the merchant page. Plain DOM, no innerHTML. Every word comes from the
// language's catalogue (demo/public/locales/<lang>.json, through i18n.js).
import { codeWords, countsWords, evidenceWords, LANGUAGES, pickLanguage, translator } from './i18n.js';

/**
 * The element with this id. Typed `any`: each caller knows the element's kind (input, select, form...).
 * @param {string} id
 * @returns {any}
 */
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
};

/** The hub's language: the one the switch chose (kept in localStorage), else the browser's Accept-Language. */
const STORED = 'utt-hub-lang';
const chosen = localStorage.getItem(STORED);
const lang = chosen && LANGUAGES.includes(chosen) ? chosen : pickLanguage(navigator.languages || []);
const t = translator(lang, await (await fetch(`/locales/${lang}.json`)).json());
document.documentElement.lang = lang;
for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n') ?? '');
$('lang').value = lang;
$('lang').addEventListener('change', () => {
  localStorage.setItem(STORED, $('lang').value);
  location.reload();
});
$('preview').title = t('check.preview');

const api = async (method, path, body) => {
  const res = await fetch(path, {
    method,
    // Every request that changes state is JSON, with or without a body: the server refuses
    // anything else, so a cross-site form (which cannot send this type) cannot change the hub.
    // The server writes its mails, history and errors in the hub's language.
    headers: { 'accept-language': lang, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = res.status === 204 ? null : await res.json();
  if (!res.ok) throw Object.assign(new Error(data.error), { data });
  return data;
};

let partners = [];
const partnerByKey = (key) => partners.find((p) => p.key === key);
const nameOf = (key) => partnerByKey(key)?.name || key;
/** The load timings a merchant can choose: the partner's own, or one of the runtime's. */
const LOAD_CHOICES = ['', 'now', 'idle', 'interaction'];
/** A load menu, its first choice naming the partner's own timing. */
const loadMenu = (select, partner) =>
  select.replaceChildren(
    ...LOAD_CHOICES.map((value) =>
      el(
        'option',
        { value },
        value
          ? t(`load.${value}`)
          : partner
            ? t('load.partnerSays', { load: t(`load.${partner.load}`) })
            : t('load.partner'),
      ),
    ),
  );
loadMenu($('load'));
loadMenu($('edit-load'));

/**
 * The events an integration of this partner will receive, in the hub's words: the names its registry entry's
 * compiled events block maps (/partners.json `events`, what utt.events.js carries), e.g. "purchase, add to cart".
 */
const eventsOf = (partner) =>
  partner.events.length
    ? t('events.list', { events: partner.events.map((name) => t(`event.${name}`)).join(', ') })
    : t('events.none');
/** The add or edit form's line saying which events the chosen partner will receive (hidden with no partner). */
const showEvents = (id, partner) => {
  $(id).textContent = partner ? eventsOf(partner) : '';
  $(id).closest('.field').hidden = !partner;
};

/** A table cell that names its column, for the one-card-per-row layout of a phone. */
const cell = (label, props, ...children) => {
  const td = el('td', props, ...children);
  td.dataset.label = label;
  return td;
};
/** Says what just happened, in a bar that stays in view, where a screen reader hears it too. */
const notice = (text) => {
  $('notice').textContent = text;
};
/** `accountId: 482913` as the merchant reads it: `Advertiser account ID: 482913`. */
const labelled = (partner, identifiers) =>
  Object.entries(identifiers || {})
    .map(([k, v]) => `${partner?.identifiers[k]?.label ?? k}: ${v}`)
    .join(', ');

/** The runtime's rule, for one identifier, in the hub's words (build/validate.mjs names the rules). */
const ruleMessage = (rule, spec) => {
  if (rule === 'type') return t(spec.type === 'integer' ? 'rule.integer' : 'rule.text');
  if (rule === 'format') return t(spec.format === 'uuid' ? 'rule.uuid' : 'rule.hostname');
  if (rule === 'script url') return t('rule.scriptUrl');
  const known = ['missing', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum'];
  return known.includes(rule)
    ? t(`rule.${rule}`, { ...spec, enum: spec.enum?.join(', ') ?? '', maxLength: spec.maxLength ?? 256 })
    : t('rule.pattern', { example: spec.example });
};

/** Identifier inputs for a partner, validated live by the server with the runtime's rules. */
function identifierForm(container, button, partner, values = {}) {
  container.replaceChildren();
  const inputs = {};
  for (const [name, spec] of Object.entries(partner.identifiers)) {
    // From the registry's schema: an enum is a choice, an integer a number.
    const input = spec.enum
      ? el(
          'select',
          { name },
          el('option', { value: '' }, t('add.chooseValue')),
          ...spec.enum.map((v) => el('option', { value: String(v) }, String(v))),
        )
      : el('input', {
          name,
          value: values[name] ?? '',
          placeholder: t('add.example', { example: String(spec.example) }),
          autocomplete: 'off',
          ...(spec.type === 'integer' && { type: 'number', inputMode: 'numeric' }),
        });
    if (spec.enum) input.value = values[name] ?? '';
    // An optional identifier (only an events mapping names it) may stay empty.
    input.required = !spec.optional;
    input.dataset.name = name;
    inputs[name] = input;
    container.append(
      el(
        'label',
        { className: 'field' },
        el('span', {}, spec.optional ? `${spec.label} ${t('add.optional')}` : spec.label),
        input,
        el('small', { className: 'hint' }, spec.description || t('add.example', { example: String(spec.example) })),
        el('span', { className: 'error', id: `${container.id}-error-${name}` }),
      ),
    );
  }
  let seq = 0;
  const check = async () => {
    const mine = ++seq;
    const identifiers = Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, i.value.trim()]));
    const result = await api('POST', '/api/validate', { partner: partner.key, identifiers });
    if (mine !== seq) return;
    for (const name of Object.keys(inputs)) {
      const touched = inputs[name].value !== '' || inputs[name].dataset.touched === 'true';
      const rule = result.rules[name] || (name === Object.keys(inputs).at(-1) && result.rules._);
      $(`${container.id}-error-${name}`).textContent =
        touched && rule ? ruleMessage(rule, partner.identifiers[name]) : '';
      inputs[name].setAttribute('aria-invalid', String(!!rule && touched));
    }
    button.disabled = !result.ok;
    button.dataset.valid = String(result.ok);
  };
  for (const input of Object.values(inputs)) {
    input.addEventListener('input', check);
    input.addEventListener('change', check);
    // Left empty: say it is required once the field has been visited.
    input.addEventListener('blur', () => {
      input.dataset.touched = 'true';
      check();
    });
  }
  check();
  return () => Object.fromEntries(Object.entries(inputs).map(([n, i]) => [n, i.value.trim()]));
}

/** A panel over the page (the Popover API): a row's menu or its history, which never makes the row taller. */
const popover = (className, ...children) => {
  const panel = el('div', { className: `popover ${className}` }, ...children);
  panel.popover = 'auto';
  return panel;
};
const opener = (className, label, panel) => {
  const button = el('button', { className, type: 'button' }, label);
  button.popoverTargetElement = panel;
  return button;
};

/** One history entry: its time through Intl, its event in the hub's words, its detail as written. */
const historyLine = (h) =>
  el(
    'li',
    {},
    el('time', { dateTime: h.at }, t.date(new Date(h.at))),
    ` ${t(`history.${h.event.replace(/ /g, '-')}`)}${h.detail ? ` (${h.detail})` : ''}`,
  );

/**
 * What utt last reported on the merchant page, in the hub's words; utt's own status code (as its docs and
 * reports name it) in the title, and its reason as the runtime wrote it (an identifier's rule, a partner key).
 */
const lastOutcome = ({ status, reason }) => [
  el('span', { className: 'outcome', title: status }, codeWords(t, 'outcome', status)),
  ...(!reason
    ? []
    : status === 'deferred' && t.has(`status.loads.${reason}`)
      ? [` (${t(`status.loads.${reason}`)})`]
      : [' (', el('code', {}, reason), ')']),
];

async function renderList() {
  const list = await api('GET', '/api/integrations');
  $('integrations').tBodies[0].replaceChildren(
    ...list.map((i) => {
      const partner = partnerByKey(i.partner);
      const menu = popover('menu');
      menu.id = `menu-${i.id}`;
      const action = (className, label, onclick) =>
        el('button', { className, type: 'button', onclick: () => (menu.hidePopover(), onclick()) }, label);
      // A partner retired from the registry: nothing to publish or edit, only to remove.
      if (!i.unknownPartner && i.status !== 'enabled')
        menu.append(action('publish', t('more.publish'), () => openChecklist(i)));
      else if (!i.unknownPartner)
        menu.append(
          action('unpublish', t('more.unpublish'), async () => {
            await api('POST', `/api/integrations/${i.id}/unpublish`);
            notice(t('notice.unpublished', { id: i.id, name: nameOf(i.partner) }));
            await Promise.all([renderList(), renderEmbed()]);
          }),
        );
      if (!i.unknownPartner) menu.append(action('edit', t('more.edit'), () => openEdit(i)));
      const history = popover(
        'history',
        el('h3', {}, t('history.title', { id: i.id, name: nameOf(i.partner) })),
        el('ol', {}, ...i.history.map(historyLine)),
      );
      history.id = `history-${i.id}`;
      menu.append(
        opener('show-history', t('more.history'), history),
        action('remove', t('more.remove'), async () => {
          if (!window.confirm(t('confirm.remove', { id: i.id, name: nameOf(i.partner) }))) return;
          await api('DELETE', `/api/integrations/${i.id}`);
          notice(t('notice.removed', { id: i.id }));
          await Promise.all([renderList(), renderOutbox(), renderEmbed()]);
        }),
      );
      const status = cell(
        t('list.status'),
        { className: `status ${i.unknownPartner ? 'unknown' : i.status}` },
        i.unknownPartner ? t('status.unknown') : t(i.status === 'enabled' ? 'status.enabled' : 'status.disabled'),
      );
      if (i.unknownPartner) status.append(el('p', { className: 'hint' }, t('status.unknownHint', { key: i.partner })));
      // Would it load? The runtime's own check of the stored identifiers.
      const load = i.load || partner?.load || 'now';
      if (load !== 'now') status.append(el('small', { className: 'load' }, ` · ${t(`status.loads.${load}`)}`));
      if (!i.valid && !i.unknownPartner)
        status.append(
          el('span', { className: 'badge invalid' }, ` ${t('status.invalid', { problems: i.problems.join(', ') })}`),
        );
      const tr = el(
        'tr',
        { id: `row-${i.id}` },
        cell(t('list.id'), {}, i.id),
        cell(
          t('list.partner'),
          {},
          nameOf(i.partner),
          ...(partner ? [el('small', { className: 'events' }, eventsOf(partner))] : []),
        ),
        cell(t('list.identifiers'), { className: 'ids' }, labelled(partner, i.identifiers)),
        status,
        cell(t('list.last'), { className: 'last' }, ...(i.last ? lastOutcome(i.last) : [t('list.notSeen')])),
        cell(t('list.actions'), {}, opener('more', t('more.title'), menu), menu, history),
      );
      tr.dataset.id = i.id;
      return tr;
    }),
  );
}

/** The merchant's three ways to embed utt, for the current build of the account's tag. */
async function renderEmbed() {
  const embed = await api('GET', '/api/embed');
  $('embed-version').textContent = embed.version;
  $('embed-generic').textContent = embed.generic;
  $('embed-account').textContent = embed.account;
  $('embed-hash').textContent = `script-src ${embed.inline.hash}`;
  $('embed-bytes').textContent = t('embed.bytes', { bytes: embed.inline.html.length });
  $('embed-inline').textContent = embed.inline.html;
  $('embed-health').textContent = embed.health;
}

/** Health from visitors (GET /api/health): one row per integration, version and engine. */
async function renderHealth() {
  const { rows, refused, alerts } = await api('GET', '/api/health');
  const cells = [
    ['health.integration', (r) => `${r.integration} (${nameOf(r.partner)})`],
    [
      'health.version',
      (r) =>
        r.number !== null
          ? t('health.versionN', { n: r.number })
          : r.version
            ? t('health.unknownVersion', { hash: r.version })
            : t('health.generic'),
    ],
    ['health.engine', (r) => r.engine],
    ['health.views', (r) => String(r.views)],
    ['health.loaded', (r) => String(r.counts.loaded ?? 0)],
    ['health.blocked', (r) => String(r.counts['blocked-csp'] ?? 0)],
    ['health.denied', (r) => String(r.counts['denied-consent'] ?? 0)],
    ['health.failed', (r) => String(r.counts.failed ?? 0)],
    ['health.fix', (r) => r.fix],
  ];
  // Each cell names its column: at 390 px a row is a card of labelled lines (demo.css).
  /** @param {any[]} column @param {any} r */
  const cell = ([key, value], r) => {
    const td = el('td', {}, value(r));
    td.dataset.label = t(key);
    return td;
  };
  $('health')
    .querySelector('tbody')
    .replaceChildren(...rows.map((r) => el('tr', {}, ...cells.map((c) => cell(c, r)))));
  $('health').hidden = !rows.length;
  $('health-empty').hidden = rows.length > 0;
  $('health-refused').textContent = Object.keys(refused).length
    ? t('health.refused', { list: countsWords(t, 'refused', refused) })
    : '';
  $('health-alerts').textContent = alerts.length
    ? t('health.alerts', { list: alerts.map((a) => `${a.integration} @ ${a.version}`).join(', ') })
    : '';
}

/** The published versions, newest first, each with Restore; the two menus of the comparison. */
async function renderVersions() {
  const versions = await api('GET', '/api/versions');
  $('versions').replaceChildren(
    ...versions.map((v) => {
      const restore = el('button', { type: 'button', className: 'restore' }, t('versions.restore', { n: v.number }));
      restore.addEventListener('click', () => restoreVersion(v.number));
      const li = el(
        'li',
        { value: v.number },
        `${t('versions.line', { n: v.number, at: new Date(v.at), by: v.by, note: v.note })} `,
        el('small', {}, `(${v.tag ? t('versions.tag', { tag: v.tag }) : t('versions.noTag')}) `),
        restore,
      );
      li.dataset.number = String(v.number);
      return li;
    }),
  );
  const options = (current) => [
    ...(current ? [el('option', { value: 'current' }, t('versions.current'))] : []),
    ...versions.map((v) => el('option', { value: String(v.number) }, t('versions.option', { n: v.number }))),
  ];
  // The menus start again from the two newest: an earlier comparison no longer matches them.
  $('diff-result').replaceChildren();
  $('diff-from').replaceChildren(...options(false));
  $('diff-to').replaceChildren(...options(true));
  if (versions[1]) $('diff-from').value = String(versions[1].number);
  if (versions[0]) $('diff-to').value = String(versions[0].number);
}

/** One line per change between two manifests (GET /api/versions/diff). */
const describeDiff = (d) => [
  ...d.added.map((i) =>
    t('diff.added', {
      id: i.id,
      name: nameOf(i.partner),
      status: t(`status.${i.status === 'enabled' ? 'enabled' : 'disabled'}`),
    }),
  ),
  ...d.removed.map((i) => t('diff.removed', { id: i.id, name: nameOf(i.partner) })),
  ...d.changed.flatMap((c) =>
    Object.entries(c)
      .filter(([k]) => k !== 'id')
      .map(([k, { from, to }]) => `${c.id} ${k}: ${JSON.stringify(from ?? null)} → ${JSON.stringify(to ?? null)}`),
  ),
];

async function restoreVersion(number, anyway) {
  try {
    await api('POST', `/api/versions/${number}/restore`, anyway ? { anyway } : {});
    notice(t('notice.restored', { n: number }));
    await Promise.all([renderList(), renderEmbed(), renderVersions(), renderHealth()]);
  } catch (err) {
    if (!err.data?.anyway) return notice(err.message);
    const reason = window.prompt(t('confirm.restoreAnyway', { error: err.message }));
    if (reason?.trim()) await restoreVersion(number, reason.trim());
    else notice(t('notice.notRestored', { n: number, error: err.message }));
  }
}

async function renderOutbox() {
  const mails = await api('GET', '/api/outbox');
  $('outbox').replaceChildren(
    ...mails.map((m) =>
      el(
        'li',
        {},
        el(
          'details',
          {},
          el('summary', {}, t('outbox.line', { date: new Date(m.date), to: m.to, subject: m.subject })),
          el('pre', {}, m.raw),
        ),
      ),
    ),
  );
  $('outbox-empty').hidden = mails.length > 0;
}

/** The add form as a new page shows it: no partner, no identifiers, the partner's own timing. */
function resetAdd() {
  $('add-form').reset();
  $('fields').replaceChildren();
  showEvents('add-events', undefined);
  $('alert-to').textContent = t('add.alertLater');
  loadMenu($('load'));
  $('add').disabled = true;
}

let readAdd = () => ({});
function setupAdd() {
  $('partner').append(...partners.map((p) => el('option', { value: p.key }, p.name)));
  $('partner').addEventListener('change', () => {
    const partner = partnerByKey($('partner').value);
    showEvents('add-events', partner);
    $('add').disabled = true;
    if (partner) readAdd = identifierForm($('fields'), $('add'), partner);
    else $('fields').replaceChildren();
    $('alert-to').textContent = partner
      ? t('add.alertTo', { name: partner.name, contact: partner.contact })
      : t('add.alertLater');
    const load = $('load').value;
    loadMenu($('load'), partner);
    $('load').value = load;
  });
  $('add-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('add-error').textContent = '';
    try {
      const { integration } = await api('POST', '/api/integrations', {
        partner: $('partner').value,
        identifiers: readAdd(),
        load: $('load').value,
        alert: $('alert').checked,
      });
      resetAdd();
      await Promise.all([renderList(), renderOutbox(), renderEmbed()]);
      notice(t('notice.added', { id: integration.id }));
      openChecklist(integration);
    } catch (err) {
      $('add-error').replaceChildren(err.message);
      // The same partner with the same identifiers: a link to the one that exists.
      if (err.data?.existing)
        $('add-error').append(
          ' ',
          el('a', { href: `#row-${err.data.existing}` }, t('add.goTo', { id: err.data.existing })),
        );
    }
  });
}

let editing;
let readEdit = () => ({});
function openEdit(integration) {
  editing = integration;
  const partner = partnerByKey(integration.partner);
  $('edit-section').hidden = false;
  $('edit-error').textContent = '';
  $('edit-title').textContent = `${integration.id} (${partner?.name})`;
  showEvents('edit-events', partner);
  readEdit = identifierForm($('edit-fields'), $('save'), partner, integration.identifiers);
  loadMenu($('edit-load'), partner);
  $('edit-load').value = integration.load || '';
  $('edit-section').scrollIntoView();
}
function setupEdit() {
  $('edit-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const saved = await api('PUT', `/api/integrations/${editing.id}`, {
        identifiers: readEdit(),
        load: $('edit-load').value,
      });
      $('edit-section').hidden = true;
      notice(t(editing.status === 'enabled' ? 'notice.savedPaused' : 'notice.saved', { id: saved.id }));
      await Promise.all([renderList(), renderOutbox(), renderEmbed()]);
    } catch (err) {
      $('edit-error').replaceChildren(err.message);
      if (err.data?.existing)
        $('edit-error').append(
          ' ',
          el('a', { href: `#row-${err.data.existing}` }, t('add.goTo', { id: err.data.existing })),
        );
    }
  });
  $('cancel-edit').addEventListener('click', () => {
    $('edit-section').hidden = true;
  });
}

// The checklist: the first two items show verify mode's evidence from the merchant page. Item 1 can be
// confirmed only when that evidence passes; when it fails, the one way on is "Publish anyway", with a reason.
let checking;
const CHECKS = ['check-placement', 'check-identifier', 'check-privacy', 'check-approval'];
/** What the evidence says of item 1: undefined while verify mode runs, then pass or fail. */
let placement;
const updatePublish = () => {
  const failed = placement === 'fail';
  $('anyway').hidden = !failed;
  $('publish').hidden = failed;
  $('publish').disabled = !CHECKS.every((id) => $(id).checked);
  $('publish-anyway').disabled = !(CHECKS.slice(1).every((id) => $(id).checked) && $('anyway-reason').value.trim());
};

/** verify mode's CSP rows, in the hub's words: what the policy on the page decided, or that there is none. */
const cspSummary = (item) => {
  if (item.result === 'fail') return t('evidence.cspFail');
  if (!item.checks) return t('evidence.cspUnknown');
  if (item.checks.every((c) => !c.policy)) return t('evidence.noCsp', { count: item.checks.length });
  return t('evidence.cspPass', { count: item.checks.length });
};
const SUMMARY = {
  placement: (item) => t(item.result === 'pass' ? 'evidence.placementPass' : 'evidence.placementFail'),
  csp: cspSummary,
  identifiers: (item) => t(item.result === 'pass' ? 'evidence.identifiersPass' : 'evidence.identifiersFail'),
};

function evidence(box, items) {
  box.replaceChildren(
    ...items.map((item) => {
      const div = el(
        'div',
        { className: `item ${item.item} ${item.result}` },
        el('strong', {}, t('evidence.head', { item: t(`evidence.${item.item}`), result: t(`result.${item.result}`) })),
        ` ${SUMMARY[item.item](item)}`,
      );
      if (item.fix) div.append(el('div', { className: 'fix' }, t('evidence.fix', { fix: item.fix })));
      if (item.checks?.length) {
        const head = ['type', 'target', 'verdict', 'directive', 'fix'].map((h) => t(`evidence.col.${h}`));
        div.append(
          el(
            'table',
            { className: 'csp-checks' },
            el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
            el(
              'tbody',
              {},
              ...item.checks.map((c) => {
                const row = [c.type, c.target, t(`verdict.${c.verdict}`), c.directive, c.fix || ''];
                return el('tr', { className: c.verdict }, ...row.map((text, n) => cell(head[n], {}, text)));
              }),
            ),
          ),
        );
      }
      // verify mode's own sentence: the runtime's words, for whoever wants every detail.
      div.append(el('details', { className: 'raw' }, el('summary', {}, t('evidence.raw')), item.evidence));
      return div;
    }),
  );
}

/**
 * The preview's evidence from the merchant's real site (GET /api/integrations/<id>/evidence): what utt saw
 * there, sent from its preview panel. `shown`: the newest for this integration as it stands; `fromSite`:
 * the one QA judges placement and CSP from, instead of verify mode under the chosen preset.
 */
let shown = null;
let fromSite = null;
async function loadSiteEvidence() {
  const id = checking.id;
  const { evidence: e, refused } = await api('GET', `/api/integrations/${id}/evidence`);
  if (checking.id !== id) return;
  shown = e;
  $('site-evidence-text').textContent = e
    ? t('check.evidenceSeen', {
        url: e.url,
        engine: t(`engine.${e.engine}`),
        at: t.date(new Date(e.at)),
        summary: t('check.evidenceSummary', {
          result: t(`result.${e.ok ? 'pass' : 'fail'}`),
          id,
          status: codeWords(t, 'outcome', e.status),
          evidence: evidenceWords(t, e),
        }),
      })
    : t('check.evidenceNone');
  $('site-evidence-use').hidden = !e;
  $('site-evidence-refused').textContent = Object.keys(refused).length
    ? t('check.evidenceRefused', { list: countsWords(t, 'refused', refused) })
    : '';
}

/** Placement and CSP judged from the site's evidence: item 1 can be ticked when it passes. */
function useSiteEvidence() {
  fromSite = shown;
  placement = fromSite.ok ? 'pass' : 'fail';
  const result = placement;
  $('evidence-placement').replaceChildren(
    el(
      'div',
      { className: `item csp ${result}` },
      el('strong', {}, t('evidence.head', { item: t('evidence.csp'), result: t(`result.${result}`) })),
      ` ${t('check.evidenceUsed')} ${$('site-evidence-text').textContent}`,
    ),
  );
  $('check-placement').disabled = placement === 'fail';
  if (placement === 'fail') $('anyway-why').textContent = t('check.cannotConfirm');
  updatePublish();
}

async function runVerify() {
  const frame = $('preview');
  placement = undefined;
  fromSite = null;
  $('check-placement').checked = false;
  $('check-placement').disabled = true;
  updatePublish();
  for (const id of ['evidence-placement', 'evidence-identifier']) $(id).textContent = t('evidence.running');
  frame.onload = () => {
    const w = frame.contentWindow;
    const ask = () =>
      w.utt('verify', (result) => {
        if (result.error) {
          $('evidence-placement').textContent = t('evidence.failed', { error: result.error });
          return;
        }
        const mine = result.find((v) => v.id === checking.id);
        // Judged from the merchant's site meanwhile: the preset's evidence does not replace it.
        if (!mine || fromSite) return;
        const byItem = Object.fromEntries(mine.items.map((i) => [i.item, i]));
        evidence($('evidence-placement'), [byItem.placement, byItem.csp]);
        evidence($('evidence-identifier'), [byItem.identifiers]);
        placement = byItem.placement.result === 'fail' || byItem.csp.result === 'fail' ? 'fail' : 'pass';
        $('check-placement').disabled = placement === 'fail';
        if (placement === 'fail') $('anyway-why').textContent = t('check.cannotConfirm');
        updatePublish();
      });
    // utt.js is async: wait for it on the preview page.
    const wait = () => (w.utt?.v ? ask() : setTimeout(wait, 50));
    wait();
  };
  // The draft with this integration on, signed by the hub: the same link QA can open on the merchant's site.
  const { token, link } = await api('POST', '/api/preview', { ids: [checking.id] });
  $('preview-link').href = link;
  $('preview-link').hidden = false;
  frame.src = `/shop?preview&csp=${encodeURIComponent($('site-csp').value)}&utt-preview=${token}`;
}

async function openChecklist(integration) {
  checking = integration;
  // Nothing of the last checklist stands, from the first moment: no tick, and placement waits for its evidence.
  for (const id of CHECKS) $(id).checked = false;
  $('check-placement').disabled = true;
  updatePublish();
  // The evidence starts from the CSP the merchant page serves now.
  $('site-csp').value = (await api('GET', '/api/site')).preset;
  $('checklist').hidden = false;
  $('checklist').dataset.id = integration.id;
  $('checklist-title').textContent = `${integration.id} (${nameOf(integration.partner)})`;
  $('anyway-reason').value = '';
  $('publish-status').textContent = '';
  runVerify();
  loadSiteEvidence().catch((err) => notice(err.message));
  $('checklist').scrollIntoView();
}

function setupChecklist(presets, site) {
  $('site-csp').append(...presets.map((p) => el('option', { value: p.name }, t(`preset.${p.name}`))));
  // The evidence starts from the CSP the merchant page serves.
  $('site-csp').value = site.preset;
  $('site-csp').addEventListener('change', runVerify);
  for (const id of CHECKS) $(id).addEventListener('change', updatePublish);
  $('site-evidence-refresh').addEventListener('click', () => loadSiteEvidence().catch((err) => notice(err.message)));
  $('site-evidence-use').addEventListener('click', useSiteEvidence);
  /** Publishes; with the site's evidence when QA judged from it (the server checks that very evidence). */
  const publish = async (anyway) => {
    const body = { ...(anyway && { anyway }), ...(fromSite && { evidence: fromSite.seq }) };
    // The answer can take a moment (the server checks the site's CSP): say so at once, with nothing to click twice.
    for (const id of ['publish', 'publish-anyway', 'publish-later']) $(id).disabled = true;
    $('publish-status').textContent = t('check.checking');
    try {
      const done = await api('POST', `/api/integrations/${checking.id}/publish`, body);
      $('checklist').hidden = true;
      // Published anyway: the page's policy still blocks it until the site's CSP is fixed; say so, with the fix.
      notice(
        !anyway
          ? t('notice.published', { id: done.id })
          : done.blocked?.fixes.length
            ? t('notice.publishedBlocked', { id: done.id, fixes: done.blocked.fixes.join('; ') })
            : t('notice.publishedAnyway', { id: done.id }),
      );
      await Promise.all([renderList(), renderOutbox(), renderEmbed(), renderVersions()]);
    } catch (err) {
      // A failed check on the server (the site's own CSP): the one way on is "Publish anyway", with a reason.
      if (err.data?.anyway) {
        placement = 'fail';
        $('anyway-why').textContent = err.message;
        $('anyway-reason').focus();
      } else notice(err.message);
    } finally {
      $('publish-status').textContent = '';
      $('publish-later').disabled = false;
      updatePublish();
    }
  };
  $('publish').addEventListener('click', () => publish());
  $('anyway-reason').addEventListener('input', updatePublish);
  $('publish-anyway').addEventListener('click', () => publish($('anyway-reason').value));
  // Saved disabled: publishable later from the list.
  $('publish-later').addEventListener('click', () => {
    $('checklist').hidden = true;
    notice(t('notice.later', { id: checking.id }));
    Promise.all([renderList(), renderEmbed()]);
  });
}

// The merchant page says what utt reported there each time it changes (demo/public/shop.js): the list follows.
const outcomes = new BroadcastChannel('utt-demo-outcomes');
outcomes.onmessage = () => renderList();

// The merchant page's partner hosts are emulated by a service worker; install it here first.
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js', { scope: '/' });
const [list, presets, site] = await Promise.all([
  api('GET', '/api/partners'),
  api('GET', '/api/presets'),
  api('GET', '/api/site'),
]);
partners = list;
setupAdd();
setupEdit();
setupChecklist(presets, site);
$('diff-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const d = await api(
    'GET',
    `/api/versions/diff?from=${encodeURIComponent($('diff-from').value)}&to=${encodeURIComponent($('diff-to').value)}`,
  );
  const lines = describeDiff(d);
  $('diff-result').replaceChildren(...(lines.length ? lines : [t('diff.none')]).map((l) => el('li', {}, l)));
});
$('health-refresh').addEventListener('click', () => renderHealth());
resetAdd();
await Promise.all([renderList(), renderOutbox(), renderEmbed(), renderVersions(), renderHealth()]);
// A health alert's link (?restore=<n>): the version to roll back to, its Restore button focused.
const restoreAsked = new URLSearchParams(location.search).get('restore');
/** @type {HTMLElement | null} */
const restoreButton = restoreAsked
  ? document.querySelector(`#versions li[data-number="${CSS.escape(restoreAsked)}"] button`)
  : null;
if (restoreButton) {
  notice(t('health.restoreFromMail', { n: restoreAsked }));
  restoreButton.focus();
  restoreButton.scrollIntoView({ block: 'center' });
}
document.body.dataset.ready = 'true';
