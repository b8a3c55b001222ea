// A member's products: add one (free, or paid outside Creditline at the amount taken), and void or refund a completed
// purchase, each with a reason and a confirmation, the answer's amounts in words.
import { api, idempotencyKey } from './shared/api.js';
import { h, show } from './shared/dom.js';
import { t } from './shared/i18n.js';
import { confirmForm, failed } from './shared/confirm.js';

/** The digits the studio's currency has after the point (2 for EUR, 0 for JPY). */
function decimals(currency) {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
}

export function addProductSection(memberId, products, studio, fmt, again) {
  if (!products.length) {
    return h('section', { 'aria-labelledby': 'buy-title' },
      h('h3', { id: 'buy-title' }, t('buy.title')), h('p', { class: 'help', id: 'buy-none' }, t('buy.noProducts')));
  }
  // One idempotency key per filled-in form: a double click or a retry after a lost answer adds the product once.
  const key = idempotencyKey();
  const currency = studio.currency;
  const product = h('select', { id: 'buy-product', required: true },
    products.map(p => h('option', { value: p.id }, `${p.name} · ${fmt.money(p.price)}`)));
  const payment = h('select', { id: 'buy-payment', required: true },
    h('option', { value: 'outside' }, t('buy.outside')), h('option', { value: 'none' }, t('buy.none')));
  const amount = h('input', { id: 'buy-amount', type: 'number', min: '0', required: true,
    step: String(10 ** -decimals(currency)), 'aria-describedby': 'buy-amount-help' });
  const amountField = h('div', { class: 'field' },
    h('label', { for: 'buy-amount' }, t('buy.amount', { currency })), amount,
    h('p', { class: 'help', id: 'buy-amount-help' }, t('buy.amountHelp')));
  const chosen = () => products.find(p => p.id === product.value);
  // The amount taken starts at the product's price; a price paid in another currency is not prefilled.
  const prefill = () => {
    const price = chosen().price;
    amount.value = price.currency === currency ? price.amount : '';
  };
  const toggle = () => {
    const outside = payment.value === 'outside';
    amountField.hidden = !outside;
    amount.required = outside;
  };
  product.addEventListener('change', prefill);
  payment.addEventListener('change', toggle);
  prefill();

  const submit = async e => {
    e.preventDefault();
    const p = chosen();
    const body = { productId: p.id, payment: payment.value };
    if (payment.value === 'outside') {
      body.amountPaid = { amount: Number(amount.value).toFixed(decimals(currency)), currency };
    }
    try {
      const purchase = await api(`/v1/members/${encodeURIComponent(memberId)}/purchases`,
        { method: 'POST', body, idempotency: key });
      const text = payment.value === 'outside'
        ? t('buy.donePaid', { product: p.name, amount: fmt.money(purchase.amountPaid) })
        : t('buy.doneFree', { product: p.name });
      // Her new product's tab is opened, so its credits show at once.
      const account = purchase.lots?.[0]?.account;
      await again({ ...(account ? { account } : {}), notice: { kind: 'ok', text } });
    } catch (err) {
      await failed(again, err);
    }
  };

  return h('section', { 'aria-labelledby': 'buy-title' },
    h('form', { class: 'stack', id: 'buy-form', 'aria-labelledby': 'buy-title', onsubmit: submit },
      h('h3', { id: 'buy-title' }, t('buy.title')),
      h('div', { class: 'field' }, h('label', { for: 'buy-product' }, t('buy.product')), product),
      h('div', { class: 'field' }, h('label', { for: 'buy-payment' }, t('buy.payment')), payment),
      amountField,
      h('button', { type: 'submit', id: 'buy-submit' }, t('buy.submit'))));
}

export function purchasesSection(items, fmt, again) {
  return h('section', { 'aria-labelledby': 'purchases-title' },
    h('h3', { id: 'purchases-title' }, t('member.purchases')),
    items.length ? h('ul', { class: 'plain', id: 'purchases' }, items.map(p => purchaseItem(p, fmt, again)))
      : h('p', {}, t('member.noPurchases')));
}

function purchaseItem(p, fmt, again) {
  const actions = h('div', { class: 'actions' });
  const item = h('li', { id: `purchase-${p.id}` },
    h('span', { class: 'purchase-line' }, `${p.productName} · ${fmt.at(p.createdAt)} · `,
      p.amountPaid ? t('member.paid', { amount: fmt.money(p.amountPaid) }) : fmt.money(p.price),
      ` · ${t(`purchase.${p.status}`)}`,
      p.refundAmount ? ` · ${t('purchase.refundedAmount', { amount: fmt.money(p.refundAmount) })}` : ''),
    p.status === 'completed' ? actions : null);
  if (p.status !== 'completed') return item;
  const path = `/v1/purchases/${encodeURIComponent(p.id)}`;

  const voidIt = () => show(actions, confirmForm({
    id: `void-${p.id}`, title: t('void.confirmTitle', { product: p.productName }), submit: t('void.submit'),
    onCancel: buttons,
    onConfirm: async (reason, key) => {
      const voided = await api(`${path}/void`, { method: 'POST', body: { reason }, idempotency: key });
      return t('void.done', { product: p.productName, credits: voided.voided });
    },
  }, again));

  const refundIt = () => {
    const mode = h('select', { id: `refund-mode-${p.id}` },
      // Money cannot go back for a product added without charge; store credit can.
      p.payment === 'none' ? null : h('option', { value: 'money' }, t('refund.money')),
      h('option', { value: 'credits' }, t('refund.credits')));
    show(actions, confirmForm({
      id: `refund-${p.id}`, title: t('refund.confirmTitle', { product: p.productName }), submit: t('refund.submit'),
      onCancel: buttons,
      fields: h('div', { class: 'field' }, h('label', { for: `refund-mode-${p.id}` }, t('refund.mode')), mode),
      onConfirm: async (reason, key) => {
        const refunded = await api(`${path}/refund`,
          { method: 'POST', body: { mode: mode.value, reason }, idempotency: key });
        const r = refunded.refund;
        return r.mode === 'money'
          ? t('refund.doneMoney', { product: p.productName, amount: fmt.money(r.amount), credits: r.credits })
          : t('refund.doneCredits', { product: p.productName, credits: r.credits,
            store: r.storeCredit?.quantity ?? r.credits });
      },
    }, again));
  };

  function buttons() {
    show(actions,
      h('button', { type: 'button', class: 'secondary', id: `void-open-${p.id}`, onclick: voidIt,
        'aria-label': t('void.open', { product: p.productName }) }, t('void.button')),
      h('button', { type: 'button', class: 'secondary', id: `refund-open-${p.id}`, onclick: refundIt,
        'aria-label': t('refund.open', { product: p.productName }) }, t('refund.button')));
  }
  buttons();
  return item;
}
