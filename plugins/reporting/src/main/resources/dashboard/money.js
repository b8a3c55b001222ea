// The reporting plugin's page in the staff dashboard: the studio's money as the owner reads it. Every figure comes
// from the reports' endpoints (/v1/reports/summary, /monthly, /liability-by-expiry), so the page and the reports
// always agree. The dashboard calls render(element, context): context.api(method, path) resolves to {status, body},
// context.download(path, filename) saves what a path answers, context.language is "en" or "de".
import uPlot from "./uPlot.esm.js";

const TEXT = {
  en: {
    heading: "Money", liability: "Credit liability", liabilityHelp: "the value of credits sold and not yet used",
    months: "Months of sales", healthy: "healthy: 2 months or less", outstanding: "Credits outstanding",
    held: "of them held by bookings", heldHelp: "still owed: they become revenue when the class's cancel window closes",
    byExpiry: "Liability by expiry month", month: "Month", credits: "Credits", value: "Value",
    noExpiry: "no expiry", perMonth: "Credits per month", sold: "Sold", used: "Used", expired: "Expired",
    granted: "Granted", downloads: "Downloads", creditsCsv: "All credit movements (CSV)", breakage: "Breakage",
    recognised: "Recognised revenue", soldMoney: "Sold", tooHigh: "above the healthy 2 months",
  },
  de: {
    heading: "Finanzen", liability: "Credit-Verbindlichkeit", liabilityHelp: "der Wert verkaufter, noch nicht genutzter Credits",
    months: "Monate an Verkäufen", healthy: "gesund: höchstens 2 Monate", outstanding: "Offene Credits",
    held: "davon von Buchungen reserviert", heldHelp: "noch geschuldet: Umsatz, sobald die Stornofrist der Stunde endet",
    byExpiry: "Verbindlichkeit nach Ablaufmonat", month: "Monat", credits: "Credits", value: "Wert",
    noExpiry: "ohne Ablauf", perMonth: "Credits pro Monat", sold: "Verkauft", used: "Genutzt", expired: "Verfallen",
    granted: "Gutgeschrieben", downloads: "Downloads", creditsCsv: "Alle Credit-Bewegungen (CSV)", breakage: "Verfall (Geld)",
    recognised: "Realisierter Umsatz", soldMoney: "Verkauft", tooHigh: "über den gesunden 2 Monaten",
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

function stylesheet(href) {
  if (!document.querySelector(`link[href="${href}"]`)) {
    document.head.append(el("link", { rel: "stylesheet", href }));
  }
}

export async function render(root, context) {
  const t = TEXT[context.language] || TEXT.en;
  const money = (m) => new Intl.NumberFormat(context.language, { style: "currency", currency: m.currency })
    .format(Number(m.amount));
  stylesheet("/dashboard/plugins/reporting/uPlot.min.css");
  root.replaceChildren(el("h2", {}, t.heading));
  const status = el("p", { role: "status", "aria-live": "polite" });
  root.append(status);

  const [summary, monthly, byExpiry] = await Promise.all([
    context.api("GET", "/v1/reports/summary"),
    context.api("GET", "/v1/reports/monthly?months=12"),
    context.api("GET", "/v1/reports/liability-by-expiry"),
  ]);
  for (const answer of [summary, monthly, byExpiry]) {
    if (answer.status !== 200) {
      status.textContent = (answer.body && answer.body.detail) || String(answer.status);
      return;
    }
  }

  const s = summary.body;
  const ratio = s.liabilityMonthsOfSales;
  const gauge = el("meter", { id: "months-of-sales", min: "0", max: "6", low: "2", high: "2", optimum: "1",
    value: ratio === null || ratio === undefined ? "0" : String(ratio) });
  root.append(el("section", { "aria-labelledby": "money-liability" },
    el("h3", { id: "money-liability" }, t.liability),
    el("p", { class: "figure", "data-figure": "liability" }, money(s.liability)),
    el("p", {}, t.liabilityHelp),
    el("dl", {},
      el("dt", {}, el("label", { for: "months-of-sales" }, t.months)),
      el("dd", {}, gauge, " ", el("span", { "data-figure": "months" }, ratio === null || ratio === undefined ? "—"
        : new Intl.NumberFormat(context.language, { maximumFractionDigits: 2 }).format(ratio)),
        " (", ratio > 2 ? t.tooHigh : t.healthy, ")"),
      el("dt", {}, t.outstanding), el("dd", { "data-figure": "outstanding" }, String(s.outstanding)),
      el("dt", {}, t.held), el("dd", { "data-figure": "held", title: t.heldHelp }, String(s.held ?? 0)),
      el("dt", {}, t.soldMoney), el("dd", {}, money(s.money.sold)),
      el("dt", {}, t.recognised), el("dd", {}, money(s.money.recognised)),
      el("dt", {}, t.breakage), el("dd", {}, money(s.money.breakage)))));

  const rows = byExpiry.body.items.map((m) => el("tr", {},
    el("td", {}, m.month || t.noExpiry), el("td", {}, String(m.credits)), el("td", {}, money(m.value))));
  root.append(el("section", { "aria-labelledby": "money-expiry" },
    el("h3", { id: "money-expiry" }, t.byExpiry),
    el("table", {},
      el("thead", {}, el("tr", {}, ...[t.month, t.credits, t.value].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows))));

  const months = monthly.body.items;
  const chart = el("div", { id: "money-chart", role: "img", "aria-label": t.perMonth });
  const table = el("table", {},
    el("caption", {}, t.perMonth),
    el("thead", {}, el("tr", {}, ...[t.month, t.sold, t.used, t.expired, t.granted]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...months.map((m) => el("tr", {}, el("td", {}, m.month), el("td", {}, String(m.sold)),
      el("td", {}, String(m.used)), el("td", {}, String(m.expired)), el("td", {}, String(m.granted))))));
  root.append(el("section", { "aria-labelledby": "money-months" },
    el("h3", { id: "money-months" }, t.perMonth), chart, table));
  const x = months.map((m) => Date.parse(m.from) / 1000);
  new uPlot({
    width: Math.max(320, Math.min(900, root.clientWidth || 720)), height: 260,
    series: [{}, ...[["sold", "#2563eb"], ["used", "#16a34a"], ["expired", "#dc2626"], ["granted", "#9333ea"]]
      .map(([key, stroke]) => ({ label: t[key], stroke, width: 2 }))],
    axes: [{ values: (u, ticks) => ticks.map((v) => new Date(v * 1000).toLocaleDateString(context.language,
      { month: "short", year: "2-digit" })) }, {}],
  }, [x, months.map((m) => m.sold), months.map((m) => m.used), months.map((m) => m.expired),
    months.map((m) => m.granted)], chart);

  const download = el("button", { type: "button" }, t.creditsCsv);
  download.addEventListener("click", () => context.download("/v1/reports/credits.csv", "credits.csv"));
  root.append(el("section", { "aria-labelledby": "money-downloads" },
    el("h3", { id: "money-downloads" }, t.downloads), download));
}
