// The studio's catalogue: products (each PATCH a new version; deactivated ones are no longer sold), schedulers (the
// class types and what they cost) and trainers (with the offboarding choice of the trainer-bound plugin). Coaches
// read it; owners change it.
import { api, query, idempotencyKey } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { screenActions } from './shared/actions.js';
import { formats, credits } from './shared/format.js';


function field(id, label, input) {
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

export async function catalogueScreen(app, state = {}) {
  const fmt = formats(app.studio);
  const again = next => catalogueScreen(app, next);
  const { notice, act } = screenActions(again, state);
  const [products, schedulers, trainers] = await Promise.all([api(`/v1/products${query({ limit: 200 })}`),
    api(`/v1/schedulers${query({ limit: 500 })}`), api(`/v1/trainers${query({ limit: 200 })}`)]);
  show(app.main, h('h2', {}, t('catalogue.title')), notice,
    productsSection(products.items, fmt, act), schedulersSection(schedulers.items, act),
    trainersSection(trainers.items, act));
}

function productsSection(products, fmt, act) {
  const name = h('input', { required: true, maxlength: '200' });
  const kind = h('select', {}, ['package', 'subscription'].map(k => h('option', { value: k }, t(`catalogue.${k}`))));
  const amount = h('input', { type: 'number', min: '1', step: '1', required: true, value: '10' });
  const price = h('input', { type: 'number', min: '0', step: '0.01', required: true });
  const validity = h('input', { placeholder: 'P6M', pattern: 'P.*' });
  const interval = h('input', { placeholder: 'P1M', pattern: 'P.*' });
  const rows = products.map(p => h('tr', {},
    h('td', {}, p.name), h('td', {}, t(`catalogue.${p.kind}`)), h('td', {}, credits(p.credits)),
    h('td', {}, fmt.money(p.price)), h('td', {}, p.validity || '—'), h('td', {}, `v${p.version}`),
    h('td', {}, p.active ? h('button', { type: 'button', class: 'secondary', onclick: () => act(
      () => api(`/v1/products/${encodeURIComponent(p.id)}/deactivate`, { method: 'POST' }),
      () => t('catalogue.deactivated', { name: p.name })) }, t('catalogue.deactivate')) : t('catalogue.inactive'))));
  return h('section', { 'aria-labelledby': 'products-title' },
    h('h3', { id: 'products-title' }, t('catalogue.products')),
    h('table', { id: 'products-table' },
      h('thead', {}, h('tr', {}, [t('catalogue.name'), t('catalogue.kind'), t('catalogue.credits'), t('catalogue.price'),
        t('catalogue.validity'), t('catalogue.version'), ''].map(title => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows)),
    h('form', { class: 'inline', id: 'product-form', onsubmit: e => {
      e.preventDefault();
      const body = { name: name.value.trim(), kind: kind.value, credits: Number(amount.value),
        price: { amount: Number(price.value).toFixed(2) } };
      if (validity.value.trim()) body.validity = validity.value.trim();
      if (kind.value === 'subscription') body.billingInterval = interval.value.trim() || 'P1M';
      act(() => api('/v1/products', { method: 'POST', body, idempotency: idempotencyKey() }),
        created => t('catalogue.productCreated', { name: created.name }));
    } },
    field('product-name', t('catalogue.name'), name), field('product-kind', t('catalogue.kind'), kind),
    field('product-credits', t('catalogue.credits'), amount), field('product-price', t('catalogue.price'), price),
    field('product-validity', t('catalogue.validity'), validity),
    field('product-interval', t('catalogue.interval'), interval),
    h('button', { type: 'submit', id: 'product-submit' }, t('catalogue.addProduct'))));
}

function schedulersSection(schedulers, act) {
  const name = h('input', { required: true, maxlength: '200' });
  const cost = h('input', { type: 'number', min: '1', max: '1000', step: '1', required: true, value: '1' });
  const mode = h('select', {}, ['credits', 'direct', 'both'].map(m => h('option', { value: m }, t(`catalogue.pay.${m}`))));
  const cancelWindow = h('input', { required: true, value: 'PT12H', pattern: 'P.*' });
  const rows = schedulers.map(s => h('tr', {}, h('td', {}, s.name), h('td', {}, String(s.creditCost)),
    h('td', {}, t(`catalogue.pay.${s.paymentMode}`)), h('td', {}, s.cancellationWindow)));
  return h('section', { 'aria-labelledby': 'schedulers-title' },
    h('h3', { id: 'schedulers-title' }, t('catalogue.schedulers')),
    h('table', { id: 'schedulers-table' },
      h('thead', {}, h('tr', {}, [t('catalogue.name'), t('catalogue.cost'), t('catalogue.paidWith'),
        t('catalogue.window')].map(title => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows)),
    h('form', { class: 'inline', id: 'scheduler-form', onsubmit: e => {
      e.preventDefault();
      act(() => api('/v1/schedulers', { method: 'POST', idempotency: idempotencyKey(), body: {
        name: name.value.trim(), creditCost: Number(cost.value), paymentMode: mode.value,
        cancellationWindow: cancelWindow.value.trim() } }), created => t('catalogue.schedulerCreated', { name: created.name }));
    } },
    field('scheduler-name', t('catalogue.name'), name), field('scheduler-cost', t('catalogue.cost'), cost),
    field('scheduler-mode', t('catalogue.paidWith'), mode), field('scheduler-window', t('catalogue.window'), cancelWindow),
    h('button', { type: 'submit', id: 'scheduler-submit' }, t('catalogue.addScheduler'))));
}

function trainersSection(trainers, act) {
  const name = h('input', { required: true, maxlength: '200' });
  const active = trainers.filter(tr => tr.active);
  const rows = trainers.map(trainer => {
    const action = h('select', { 'aria-label': t('catalogue.offboardAction', { name: trainer.name }) },
      ['transfer', 'extend', 'refund'].map(a => h('option', { value: a }, t(`catalogue.offboard.${a}`))));
    const to = h('select', { 'aria-label': t('catalogue.offboardTo', { name: trainer.name }) },
      active.filter(other => other.id !== trainer.id).map(other => h('option', { value: other.id }, other.name)));
    return h('tr', {}, h('td', {}, trainer.name),
      h('td', {}, trainer.active ? t('catalogue.activeTrainer') : t('catalogue.offboarded')),
      h('td', {}, trainer.active && [action, ' ', to, ' ', h('button', { type: 'button', class: 'secondary',
        onclick: () => act(() => api(`/v1/trainers/${encodeURIComponent(trainer.id)}/offboard`, { method: 'POST',
          idempotency: idempotencyKey(), body: { action: action.value,
            ...(action.value === 'transfer' ? { toTrainerId: to.value } : {}),
            ...(action.value === 'extend' ? { extendBy: 'P1M' } : {}) } }),
        done => t('catalogue.offboardedNotice', { name: trainer.name, credits: done.credits ?? 0 })) },
      t('catalogue.offboard'))]));
  });
  return h('section', { 'aria-labelledby': 'trainers-title' },
    h('h3', { id: 'trainers-title' }, t('catalogue.trainers')),
    h('p', { class: 'help' }, t('catalogue.offboardHelp')),
    h('table', { id: 'trainers-table' },
      h('thead', {}, h('tr', {}, [t('catalogue.name'), t('staff.status'), ''].map(title => h('th', { scope: 'col' },
        title)))),
      h('tbody', {}, rows)),
    h('form', { class: 'inline', id: 'trainer-form', onsubmit: e => {
      e.preventDefault();
      act(() => api('/v1/trainers', { method: 'POST', idempotency: idempotencyKey(), body: { name: name.value.trim() } }),
        created => t('catalogue.trainerCreated', { name: created.name }));
    } },
    field('trainer-name', t('catalogue.name'), name),
    h('button', { type: 'submit', id: 'trainer-submit' }, t('catalogue.addTrainer'))));
}
