// The confirmation step of an action that changes a member's credits: a reason (where the API asks for one), the
// button that does it, and one that keeps things as they are. The screen is drawn again with the answer in words.
import { h } from './dom.js';
import { t } from './i18n.js';
import { idempotencyKey } from './api.js';

/** Draws the screen again with an action's failure in words (the API's problem detail). */
export function failed(again, e) {
  return again({ notice: { kind: 'error', text: t('error.generic', { detail: e.message }) } });
}

/**
 * `onConfirm(reason, idempotencyKey)` does the action and answers the notice; `reason: false` for an action without
 * one. One idempotency key per opened form: a double click does the action once.
 */
export function confirmForm({ id, title, submit, fields = null, reason = true, onConfirm, onCancel }, again) {
  const key = idempotencyKey();
  const reasonInput = reason ? h('input', { id: `${id}-reason`, required: true, maxlength: '500' }) : null;
  const form = h('form', { class: 'confirm', id, 'aria-labelledby': `${id}-title`, onsubmit: async e => {
    e.preventDefault();
    form.querySelector('button[type=submit]').disabled = true;
    try {
      const text = await onConfirm(reasonInput ? reasonInput.value.trim() : null, key);
      await again({ notice: { kind: 'ok', text } });
    } catch (err) {
      await failed(again, err);
    }
  } },
  h('p', { id: `${id}-title`, class: 'confirm-title' }, title),
  fields,
  reasonInput && h('div', { class: 'field' }, h('label', { for: `${id}-reason` }, t('confirm.reason')), reasonInput),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', id: `${id}-confirm` }, submit),
    h('button', { type: 'button', class: 'secondary', id: `${id}-keep`, onclick: onCancel }, t('confirm.keep'))));
  // The keyboard goes where the next step is.
  queueMicrotask(() => (reasonInput || form.querySelector('button')).focus());
  return form;
}
