// The hub page: add, verify and publish, edit and remove integrations of the
// demo account. Validation is the runtime's own, run by the server
// (POST /api/validate); the checklist's evidence comes from utt's verify mode
// on the merchant page. Plain DOM, no innerHTML.
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
const api = async (method, path, body) => {
  const res = await fetch(path, {
    method,
    // Every request that changes state is JSON, with or without a body: the server refuses
    // anything else, so a cross-site form (which cannot send this type) cannot change the hub.
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = res.status === 204 ? null : await res.json();
  if (!res.ok) throw Object.assign(new Error(data.error), { data });
  return data;
};

let partners = [];
const partnerByKey = (key) => partners.find((p) => p.key === key);
/** The load timings a merchant can choose: the partner's own, or one of the runtime's. */
const LOAD_CHOICES = [
  ['', 'as the partner says'],
  ['now', 'now'],
  ['idle', 'when the page is idle, after it has loaded'],
  ['interaction', "at the visitor's first interaction"],
];
for (const id of ['load', 'edit-load'])
  $(id).append(...LOAD_CHOICES.map(([value, label]) => el('option', { value }, label)));

/** A table cell that names its column, for the one-card-per-row layout of a phone. */
const cell = (label, props, ...children) => {
  const td = el('td', props, ...children);
  td.dataset.label = label;
  return td;
};
/** Says what just happened, where a screen reader hears it too. */
const notice = (text) => {
  $('notice').textContent = text;
};
/** `accountId: 482913` as the merchant reads it: `Advertiser account ID: 482913`. */
const labelled = (partner, identifiers) =>
  Object.entries(identifiers || {})
    .map(([k, v]) => `${partner?.identifiers[k]?.label ?? k}: ${v}`)
    .join(', ');

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
          el('option', { value: '' }, 'Choose…'),
          ...spec.enum.map((v) => el('option', { value: String(v) }, String(v))),
        )
      : el('input', {
          name,
          value: values[name] ?? '',
          placeholder: `e.g. ${spec.example}`,
          autocomplete: 'off',
          ...(spec.type === 'integer' && { type: 'number', inputMode: 'numeric' }),
        });
    if (spec.enum) input.value = values[name] ?? '';
    input.required = true;
    input.dataset.name = name;
    inputs[name] = input;
    container.append(
      el(
        'label',
        { className: 'field' },
        `${spec.label} `,
        input,
        el('small', { className: 'hint' }, spec.description || `e.g. ${spec.example}`),
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
      $(`${container.id}-error-${name}`).textContent = touched ? result.errors[name] || '' : '';
      inputs[name].setAttribute('aria-invalid', String(!!result.errors[name] && touched));
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

async function renderList() {
  const list = await api('GET', '/api/integrations');
  $('integrations').tBodies[0].replaceChildren(
    ...list.map((i) => {
      const partner = partnerByKey(i.partner);
      const more = el('details', { className: 'more' }, el('summary', {}, 'More'));
      const action = (className, label, onclick) => el('button', { className, type: 'button', onclick }, label);
      // A partner retired from the registry: nothing to publish or edit, only to remove.
      if (!i.unknownPartner && i.status !== 'enabled')
        more.append(action('publish', 'Publish', () => openChecklist(i)));
      else if (!i.unknownPartner)
        more.append(
          action('unpublish', 'Unpublish', async () => {
            await api('POST', `/api/integrations/${i.id}/unpublish`);
            notice(`${i.id} unpublished: the merchant page no longer loads ${partner?.name}.`);
            await Promise.all([renderList(), renderEmbed()]);
          }),
        );
      if (!i.unknownPartner) more.append(action('edit', 'Edit identifier', () => openEdit(i)));
      more.append(
        action('remove', 'Remove', async () => {
          if (!window.confirm(`Remove ${i.id} (${partner?.name})? The partner is told by e-mail.`)) return;
          await api('DELETE', `/api/integrations/${i.id}`);
          notice(`${i.id} removed.`);
          await Promise.all([renderList(), renderOutbox(), renderEmbed()]);
        }),
        el(
          'details',
          { className: 'history' },
          el('summary', {}, 'History'),
          el('ol', {}, ...i.history.map((h) => el('li', {}, `${h.at}: ${h.event}${h.detail ? ` (${h.detail})` : ''}`))),
        ),
      );
      const status = cell(
        'Status',
        { className: `status ${i.unknownPartner ? 'unknown' : i.status}` },
        i.unknownPartner ? 'Unknown partner' : i.status === 'enabled' ? 'Enabled' : 'Disabled',
      );
      if (i.unknownPartner)
        status.append(
          el(
            'p',
            { className: 'hint' },
            `"${i.partner}" is no longer in the partner registry, so no tag loads it. Remove this integration, ` +
              `or restore partners/${i.partner}.json and restart the demo.`,
          ),
        );
      // Would it load? The runtime's own check of the stored identifiers.
      const load = i.load || partner?.load || 'now';
      if (load !== 'now')
        status.append(
          el('small', { className: 'load' }, ` · loads ${load === 'idle' ? 'when idle' : 'at interaction'}`),
        );
      if (!i.valid && !i.unknownPartner)
        status.append(el('span', { className: 'badge invalid' }, ` invalid (${i.problems.join(', ')})`));
      const tr = el(
        'tr',
        { id: `row-${i.id}` },
        cell('ID', {}, i.id),
        cell('Partner', {}, partner?.name || i.partner),
        cell('Identifiers', { className: 'ids' }, labelled(partner, i.identifiers)),
        status,
        cell(
          'On the merchant page',
          { className: 'last' },
          i.last ? `${i.last.status}${i.last.reason ? ` (${i.last.reason})` : ''}` : 'not seen yet',
        ),
        cell('Actions', {}, more),
      );
      tr.dataset.id = i.id;
      return tr;
    }),
  );
}

/** The merchant's three ways to embed utt, for the current publish. */
async function renderEmbed() {
  const embed = await api('GET', '/api/embed');
  $('embed-version').textContent = embed.version;
  $('embed-generic').textContent = embed.generic;
  $('embed-account').textContent = embed.account;
  $('embed-hash').textContent = `script-src ${embed.inline.hash}`;
  $('embed-bytes').textContent = String(embed.inline.html.length);
  $('embed-inline').textContent = embed.inline.html;
}

/** The published versions, newest first, each with Restore; the two menus of the comparison. */
async function renderVersions() {
  const versions = await api('GET', '/api/versions');
  $('versions').replaceChildren(
    ...versions.map((v) => {
      const restore = el('button', { type: 'button', className: 'restore' }, `Restore version ${v.number}`);
      restore.addEventListener('click', () => restoreVersion(v.number));
      const li = el(
        'li',
        { value: v.number },
        `Version ${v.number}, ${new Date(v.at).toLocaleString()}, by ${v.by}: ${v.note} `,
        el('small', {}, `(tag ${v.tag || 'not built'}) `),
        restore,
      );
      li.dataset.number = String(v.number);
      return li;
    }),
  );
  const options = (current) => [
    ...(current ? [el('option', { value: 'current' }, 'the current manifest')] : []),
    ...versions.map((v) => el('option', { value: String(v.number) }, `version ${v.number}`)),
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
  ...d.added.map((i) => `added ${i.id} (${partnerByKey(i.partner)?.name || i.partner}), ${i.status}`),
  ...d.removed.map((i) => `removed ${i.id} (${partnerByKey(i.partner)?.name || i.partner})`),
  ...d.changed.flatMap((c) =>
    Object.entries(c)
      .filter(([k]) => k !== 'id')
      .map(([k, { from, to }]) => `${c.id} ${k}: ${JSON.stringify(from ?? null)} → ${JSON.stringify(to ?? null)}`),
  ),
];

async function restoreVersion(number, anyway) {
  try {
    await api('POST', `/api/versions/${number}/restore`, anyway ? { anyway } : {});
    notice(`Version ${number} restored, as a new version: the merchant page runs it now.`);
    await Promise.all([renderList(), renderEmbed(), renderVersions()]);
  } catch (err) {
    if (!err.data?.anyway) return notice(err.message);
    const reason = window.prompt(`${err.message}\n\nRestore anyway? Give the reason, for the version's note:`);
    if (reason?.trim()) await restoreVersion(number, reason.trim());
    else notice(`Version ${number} not restored: ${err.message}`);
  }
}

async function renderOutbox() {
  const mails = await api('GET', '/api/outbox');
  $('outbox').replaceChildren(
    ...mails.map((m) =>
      el('li', {}, el('details', {}, el('summary', {}, `${m.date}: to ${m.to}: ${m.subject}`), el('pre', {}, m.raw))),
    ),
  );
}

let readAdd = () => ({});
function setupAdd() {
  $('partner').append(...partners.map((p) => el('option', { value: p.key }, p.name)));
  $('partner').addEventListener('change', () => {
    const partner = partnerByKey($('partner').value);
    $('add').disabled = true;
    if (partner) readAdd = identifierForm($('fields'), $('add'), partner);
    else $('fields').replaceChildren();
    $('alert-to').textContent = partner ? `(to ${partner.name} <${partner.contact}>)` : '';
    $('load').options[0].textContent = partner ? `as the partner says (${partner.load})` : 'as the partner says';
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
      $('add-form').reset();
      $('fields').replaceChildren();
      $('alert-to').textContent = '';
      $('add').disabled = true;
      await Promise.all([renderList(), renderOutbox(), renderEmbed()]);
      notice(`${integration.id} added, disabled until published. Verify and publish it below.`);
      openChecklist(integration);
    } catch (err) {
      $('add-error').replaceChildren(err.message);
      // The same partner with the same identifiers: a link to the one that exists.
      if (err.data?.existing)
        $('add-error').append(' ', el('a', { href: `#row-${err.data.existing}` }, `Go to ${err.data.existing}`));
    }
  });
}

let editing;
let readEdit = () => ({});
function openEdit(integration) {
  editing = integration;
  $('edit-section').hidden = false;
  $('edit-title').textContent = `${integration.id} (${partnerByKey(integration.partner)?.name})`;
  readEdit = identifierForm($('edit-fields'), $('save'), partnerByKey(integration.partner), integration.identifiers);
  $('edit-load').value = integration.load || '';
  $('edit-load').options[0].textContent = `as the partner says (${partnerByKey(integration.partner)?.load})`;
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
      notice(
        editing.status === 'enabled'
          ? `${saved.id} saved and paused: verify and publish it again to put it live.`
          : `${saved.id} saved.`,
      );
      await Promise.all([renderList(), renderOutbox(), renderEmbed()]);
    } catch (err) {
      $('edit-error').replaceChildren(err.message);
      if (err.data?.existing)
        $('edit-error').append(' ', el('a', { href: `#row-${err.data.existing}` }, `Go to ${err.data.existing}`));
    }
  });
  $('cancel-edit').addEventListener('click', () => {
    $('edit-section').hidden = true;
  });
}

// The checklist: the first two items show verify mode's evidence from the merchant page.
let checking;
const CHECKS = ['check-placement', 'check-identifier', 'check-privacy', 'check-approval'];
const updatePublish = () => {
  $('publish').disabled = !CHECKS.every((id) => $(id).checked);
};

function evidence(box, items) {
  box.replaceChildren(
    ...items.map((item) => {
      const div = el(
        'div',
        { className: `item ${item.result}` },
        el('strong', {}, `${item.item}: ${item.result}`),
        ` ${item.evidence}`,
      );
      if (item.fix) div.append(el('div', { className: 'fix' }, `Fix: ${item.fix}`));
      if (item.checks)
        div.append(
          el(
            'table',
            { className: 'csp-checks' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ...['Request', 'Target', 'Verdict', 'Directive', 'Fix'].map((h) => el('th', { scope: 'col' }, h)),
              ),
            ),
            ...item.checks.map((c) =>
              el(
                'tr',
                { className: c.verdict },
                el('td', {}, c.type),
                el('td', {}, c.target),
                el('td', {}, c.verdict),
                el('td', {}, c.directive),
                el('td', {}, c.fix || ''),
              ),
            ),
          ),
        );
      return div;
    }),
  );
}

function runVerify() {
  const frame = $('preview');
  for (const id of ['evidence-placement', 'evidence-identifier'])
    $(id).textContent = 'running verify mode on the merchant page…';
  frame.onload = () => {
    const w = frame.contentWindow;
    const ask = () =>
      w.utt('verify', (result) => {
        if (result.error) {
          $('evidence-placement').textContent = `verify mode failed: ${result.error}`;
          return;
        }
        const mine = result.find((v) => v.id === checking.id);
        if (!mine) return;
        const byItem = Object.fromEntries(mine.items.map((i) => [i.item, i]));
        evidence($('evidence-placement'), [byItem.placement, byItem.csp]);
        evidence($('evidence-identifier'), [byItem.identifiers]);
      });
    // utt.js is async: wait for it on the preview page.
    const wait = () => (w.utt?.v ? ask() : setTimeout(wait, 50));
    wait();
  };
  frame.src = `/shop?preview&csp=${encodeURIComponent($('site-csp').value)}`;
}

function openChecklist(integration) {
  checking = integration;
  $('checklist').hidden = false;
  $('checklist').dataset.id = integration.id;
  $('checklist-title').textContent = `${integration.id} (${partnerByKey(integration.partner)?.name})`;
  for (const id of CHECKS) $(id).checked = false;
  $('anyway').hidden = true;
  $('anyway-reason').value = '';
  updatePublish();
  runVerify();
  $('checklist').scrollIntoView();
}

function setupChecklist(presets, site) {
  $('site-csp').append(...presets.map((p) => el('option', { value: p.name }, p.label)));
  // The evidence starts from the CSP the merchant page serves.
  $('site-csp').value = site.preset;
  $('site-csp').addEventListener('change', runVerify);
  for (const id of CHECKS) $(id).addEventListener('change', updatePublish);
  const publish = async (body) => {
    try {
      const done = await api('POST', `/api/integrations/${checking.id}/publish`, body);
      $('checklist').hidden = true;
      notice(
        `${done.id} published${body ? ' anyway (reason recorded in its history)' : ''}: the merchant page loads it now.`,
      );
      await Promise.all([renderList(), renderOutbox(), renderEmbed(), renderVersions()]);
    } catch (err) {
      // A failed automated check: Publish now needs an explicit "publish anyway", with a reason.
      if (err.data?.anyway) {
        $('anyway').hidden = false;
        $('anyway-why').textContent = err.message;
        $('anyway-reason').focus();
      } else notice(err.message);
    }
  };
  $('publish').addEventListener('click', () => publish());
  $('anyway-reason').addEventListener('input', () => {
    $('publish-anyway').disabled = !$('anyway-reason').value.trim();
  });
  $('publish-anyway').addEventListener('click', () => publish({ anyway: $('anyway-reason').value }));
  // Saved disabled: publishable later from the list.
  $('publish-later').addEventListener('click', () => {
    $('checklist').hidden = true;
    notice(`${checking.id} saved, not published: More → Publish when it is ready.`);
    Promise.all([renderList(), renderEmbed()]);
  });
}

(async () => {
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
    $('diff-result').replaceChildren(...(lines.length ? lines : ['no change']).map((l) => el('li', {}, l)));
  });
  await Promise.all([renderList(), renderOutbox(), renderEmbed(), renderVersions()]);
  document.body.dataset.ready = 'true';
})();
