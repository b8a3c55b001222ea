import { ApiError } from './api.js';
import { h, show } from './dom.js';
import { t } from './i18n.js';

/** A failed call in words: the fields the API named with their messages, else its detail. */
export function problemText(e) {
  if (!(e instanceof ApiError)) return t('error.generic', { detail: e.message });
  const fields = (e.problem.errors || []).map(err => `${err.field}: ${err.message}`);
  return fields.length ? fields.join('; ') : e.message;
}

/**
 * A screen's notice (a live region) and its actions: `act(work, success)` runs a call, then draws the screen again
 * (`again(state)`) with `success(answer)` as the notice; a failure stays on the screen, in words.
 */
export function screenActions(again, state = {}) {
  const notice = h('div', { id: 'notice', role: 'status' }, state.notice && h('p', {
    class: `notice ${state.notice.kind}` }, state.notice.text));
  const act = async (work, success) => {
    try {
      const answer = await work();
      await again({ notice: { kind: 'ok', text: success(answer) } });
    } catch (e) {
      show(notice, h('p', { class: 'notice error' }, problemText(e)));
    }
  };
  return { notice, act };
}
