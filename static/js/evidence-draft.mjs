// Keeps an evidence form that has not been sent in this browser's localStorage, so that
// reloading the page (or the tablet dropping it) does not lose the text. Progressive
// enhancement: without JavaScript or storage the form works as before.
//
// A form opts in with data-evidence-draft="<its URL>", the key of its draft. Every change
// is written to the draft; when the page loads with a draft that differs from what the
// form shows, the draft is put back into the form with a notice saying so. A page shown
// after a successful save carries data-evidence-draft-clear="<the form's URL>", which
// deletes that draft.

const PREFIX = "inspectorate:evidence-draft:";
const SKIPPED = new Set(["hidden", "submit", "button", "reset", "image", "file", "password"]);

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked: nothing to do
  }
}

function fields(form) {
  return [...form.elements].filter(
    (element) => element.name && !SKIPPED.has(element.type) && !element.disabled,
  );
}

// The form's values: as shown now, or (`sent`) as the server sent them, whatever the
// browser may have put back into the fields on a reload.
function read(form, sent = false) {
  const checked = (element) => (sent ? element.defaultChecked : element.checked);
  const values = {};
  for (const element of fields(form)) {
    if (element.type === "radio") {
      if (!(element.name in values)) values[element.name] = "";
      if (checked(element)) values[element.name] = element.value;
    } else if (element.type === "checkbox") {
      values[element.name] ??= [];
      if (checked(element)) values[element.name].push(element.value);
    } else if (element.tagName === "SELECT") {
      const options = [...element.options];
      const chosen = options.filter((o) => (sent ? o.defaultSelected : o.selected));
      const shown = chosen.length || element.multiple ? chosen : options.slice(0, 1);
      values[element.name] = element.multiple
        ? shown.map((option) => option.value)
        : (shown[0]?.value ?? "");
    } else {
      values[element.name] = sent ? element.defaultValue : element.value;
    }
  }
  return values;
}

function write(form, values) {
  for (const element of fields(form)) {
    if (!(element.name in values)) continue;
    const value = values[element.name];
    if (element.type === "radio") {
      element.checked = element.value === value;
    } else if (element.type === "checkbox") {
      element.checked = Array.isArray(value) && value.includes(element.value);
    } else if (element.multiple) {
      for (const option of element.options) option.selected = value.includes(option.value);
    } else {
      element.value = value;
    }
  }
}

function differs(draft, shown) {
  return Object.keys(draft).some(
    (name) => JSON.stringify(draft[name]) !== JSON.stringify(shown[name]),
  );
}

function hasText(values) {
  return Object.values(values).some((value) => typeof value === "string" && value.trim());
}

function load(store, key) {
  try {
    const draft = JSON.parse(store.getItem(key) || "null");
    return draft && typeof draft.values === "object" ? draft : null;
  } catch {
    return null;
  }
}

function save(store, key, values) {
  try {
    store.setItem(key, JSON.stringify({ values, savedAt: new Date().toISOString() }));
  } catch {
    // full or blocked: the server-side form still works
  }
}

function notice(form, savedAt, onDiscard) {
  form.parentElement.querySelector("[data-evidence-draft-notice]")?.remove();
  const when = new Date(savedAt);
  const time = Number.isNaN(when.getTime())
    ? ""
    : ` at ${when.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })} on ${when.toLocaleDateString("en-GB", { day: "numeric", month: "long" })}`;
  const banner = document.createElement("div");
  banner.className = "govuk-notification-banner";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-labelledby", "evidence-draft-title");
  banner.tabIndex = -1;
  banner.dataset.evidenceDraftNotice = "";
  const header = document.createElement("div");
  header.className = "govuk-notification-banner__header";
  const title = document.createElement("h2");
  title.className = "govuk-notification-banner__title";
  title.id = "evidence-draft-title";
  title.textContent = "Important";
  header.append(title);
  const content = document.createElement("div");
  content.className = "govuk-notification-banner__content";
  const heading = document.createElement("p");
  heading.className = "govuk-notification-banner__heading";
  heading.textContent = "We have put back text you had not saved";
  const body = document.createElement("p");
  body.className = "govuk-body";
  body.textContent = `It was kept on this device${time}. Check it, then save the evidence form.`;
  const discard = document.createElement("button");
  discard.type = "button";
  discard.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
  discard.textContent = "Discard the restored text";
  discard.addEventListener("click", onDiscard);
  content.append(heading, body, discard);
  banner.append(header, content);
  form.before(banner);
  banner.focus();
}

export function initEvidenceDrafts(root = document) {
  const store = storage();
  if (!store) return;
  for (const marker of root.querySelectorAll("[data-evidence-draft-clear]")) {
    store.removeItem(PREFIX + marker.dataset.evidenceDraftClear);
  }
  for (const form of root.querySelectorAll("form[data-evidence-draft]")) {
    const key = PREFIX + form.dataset.evidenceDraft;
    const draft = load(store, key);
    const sent = read(form, true);
    if (draft && hasText(draft.values) && differs(draft.values, sent)) {
      write(form, draft.values);
      notice(form, draft.savedAt, (event) => {
        store.removeItem(key);
        write(form, sent);
        event.target.closest("[data-evidence-draft-notice]").remove();
        form.querySelector("select, input:not([type=hidden]), textarea")?.focus();
      });
    }
    const keep = () => save(store, key, read(form));
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
  }
}

initEvidenceDrafts();
