// The vouchers plugin's page in the staff dashboard: the studio's codes, newest first, and a form to create one.
// The dashboard calls render(element, context); context.api(method, path, body) calls the HTTP API as the signed-in
// person and resolves to {status, body}; context.language is "en" or "de".

const TEXT = {
  en: {
    heading: "Vouchers", code: "Code", type: "Type", value: "Value", used: "Redeemed", until: "Valid until",
    none: "No vouchers yet.", create: "Create a voucher", percent: "Percent off", amount: "Amount off",
    free_credits: "Free credits", free_package: "Free package", maxRedemptions: "At most (redemptions)",
    save: "Create", more: "More", created: "Created voucher", ownCode: "Code (empty: generated)",
  },
  de: {
    heading: "Gutscheine", code: "Code", type: "Art", value: "Wert", used: "Eingelöst", until: "Gültig bis",
    none: "Noch keine Gutscheine.", create: "Gutschein anlegen", percent: "Prozent Rabatt", amount: "Betrag Rabatt",
    free_credits: "Gratis-Credits", free_package: "Gratis-Paket", maxRedemptions: "Höchstens (Einlösungen)",
    save: "Anlegen", more: "Mehr", created: "Gutschein angelegt", ownCode: "Code (leer: erzeugt)",
  },
};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function shownValue(voucher) {
  if (voucher.type === "percent") return `${voucher.value} %`;
  if (voucher.type === "amount") return `${voucher.value.amount} ${voucher.value.currency}`;
  return String(voucher.value);
}

export async function render(root, context) {
  const t = TEXT[context.language] || TEXT.en;
  root.replaceChildren();
  const status = el("p", { role: "status", "aria-live": "polite" });
  const body = el("tbody");
  const table = el("table", {},
    el("caption", {}, t.heading),
    el("thead", {}, el("tr", {}, ...[t.code, t.type, t.value, t.used, t.until].map((h) => el("th", { scope: "col" }, h)))),
    body);
  const more = el("button", { type: "button", hidden: "" }, t.more);
  let next = null;

  async function load(cursor) {
    const answer = await context.api("GET", "/v1/vouchers?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    if (answer.status !== 200) {
      status.textContent = answer.body && answer.body.detail ? answer.body.detail : String(answer.status);
      return;
    }
    for (const voucher of answer.body.items) {
      body.append(el("tr", {},
        el("td", {}, el("code", {}, voucher.code)),
        el("td", {}, t[voucher.type] || voucher.type),
        el("td", {}, shownValue(voucher)),
        el("td", {}, String(voucher.redemptions) + (voucher.maxRedemptions ? ` / ${voucher.maxRedemptions}` : "")),
        el("td", {}, voucher.validUntil ? new Date(voucher.validUntil).toLocaleDateString(context.language) : "—")));
    }
    if (!body.children.length) status.textContent = t.none;
    next = answer.body.next;
    more.hidden = !next;
  }
  more.addEventListener("click", () => load(next));

  const type = el("select", { id: "voucher-type", name: "type" },
    ...["percent", "amount", "free_credits"].map((v) => el("option", { value: v }, t[v])));
  const value = el("input", { id: "voucher-value", name: "value", type: "number", min: "1", required: "" });
  const code = el("input", { id: "voucher-code", name: "code", maxlength: "64" });
  const max = el("input", { id: "voucher-max", name: "maxRedemptions", type: "number", min: "1" });
  const form = el("form", { "aria-label": t.create },
    el("h3", {}, t.create),
    el("label", { for: "voucher-code" }, t.ownCode), code,
    el("label", { for: "voucher-type" }, t.type), type,
    el("label", { for: "voucher-value" }, t.value), value,
    el("label", { for: "voucher-max" }, t.maxRedemptions), max,
    el("button", { type: "submit" }, t.save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const request = { type: type.value };
    request.value = type.value === "amount" ? { amount: Number(value.value).toFixed(2) } : Number(value.value);
    if (code.value.trim()) request.code = code.value.trim();
    if (max.value) request.maxRedemptions = Number(max.value);
    const answer = await context.api("POST", "/v1/vouchers", request);
    if (answer.status === 201) {
      status.textContent = `${t.created} ${answer.body.code}`;
      body.replaceChildren();
      form.reset();
      await load(null);
    } else {
      const errors = (answer.body && answer.body.errors) || [];
      status.textContent = errors.length ? errors.map((e) => `${e.field}: ${e.message}`).join("; ")
        : (answer.body && answer.body.detail) || String(answer.status);
    }
  });

  root.append(el("h2", {}, t.heading), status, table, more, form);
  await load(null);
}
