// The automations plugin's page in the staff dashboard: every automation with its trigger and action, pause and
// resume, and its latest runs. The dashboard calls render(element, context); context.api(method, path, body) resolves
// to {status, body}; context.language is "en" or "de". New automations are made through POST /v1/automations.

const TEXT = {
  en: {
    heading: "Automations", name: "Name", trigger: "When", action: "Then", state: "State", none: "No automations yet.",
    paused: "paused", active: "active", pause: "Pause", resume: "Resume", runs: "Runs", at: "At", members: "Members",
    failures: "Failures", more: "More", noRuns: "No runs yet.",
  },
  de: {
    heading: "Automationen", name: "Name", trigger: "Wenn", action: "Dann", state: "Status",
    none: "Noch keine Automationen.", paused: "pausiert", active: "aktiv", pause: "Pausieren", resume: "Fortsetzen",
    runs: "Läufe", at: "Zeit", members: "Mitglieder", failures: "Fehler", more: "Mehr", noRuns: "Noch keine Läufe.",
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

function describe(part) {
  const { type, ...parameters } = part;
  const shown = Object.entries(parameters).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`);
  return shown.length ? `${type} (${shown.join(", ")})` : type;
}

export async function render(root, context) {
  const t = TEXT[context.language] || TEXT.en;
  const when = (iso) => new Date(iso).toLocaleString(context.language,
    { timeZone: context.studio && context.studio.timezone, dateStyle: "medium", timeStyle: "short" });
  root.replaceChildren(el("h2", {}, t.heading));
  const status = el("p", { role: "status", "aria-live": "polite" });
  const body = el("tbody");
  const runs = el("section", { "aria-labelledby": "automation-runs", hidden: "" });
  root.append(status, el("table", {},
    el("thead", {}, el("tr", {}, ...[t.name, t.trigger, t.action, t.state, ""].map((h) => el("th", { scope: "col" }, h)))),
    body), runs);

  function fail(answer) {
    status.textContent = (answer.body && answer.body.detail) || String(answer.status);
  }

  async function showRuns(automation) {
    const answer = await context.api("GET", `/v1/automations/${encodeURIComponent(automation.id)}/runs?limit=20`);
    if (answer.status !== 200) return fail(answer);
    const rows = answer.body.items.map((run) => el("tr", {}, el("td", {}, when(run.at)),
      el("td", {}, String(run.members)), el("td", {}, String(run.failures)), el("td", {}, run.status)));
    runs.replaceChildren(el("h3", { id: "automation-runs" }, `${t.runs}: ${automation.name}`),
      rows.length ? el("table", {},
        el("thead", {}, el("tr", {}, ...[t.at, t.members, t.failures, t.state].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, ...rows)) : el("p", {}, t.noRuns));
    runs.hidden = false;
  }

  async function load() {
    const answer = await context.api("GET", "/v1/automations?limit=100");
    if (answer.status !== 200) return fail(answer);
    body.replaceChildren();
    for (const automation of answer.body.items) {
      const toggle = el("button", { type: "button" }, automation.paused ? t.resume : t.pause);
      toggle.addEventListener("click", async () => {
        const done = await context.api("POST",
          `/v1/automations/${encodeURIComponent(automation.id)}/${automation.paused ? "resume" : "pause"}`, {});
        if (done.status !== 200) return fail(done);
        await load();
      });
      const runsButton = el("button", { type: "button" }, t.runs);
      runsButton.addEventListener("click", () => showRuns(automation));
      body.append(el("tr", {}, el("td", {}, automation.name || automation.id),
        el("td", {}, describe(automation.trigger)), el("td", {}, describe(automation.action)),
        el("td", {}, automation.paused ? t.paused : t.active), el("td", {}, toggle, " ", runsButton)));
    }
    status.textContent = body.children.length ? "" : t.none;
  }
  await load();
}
