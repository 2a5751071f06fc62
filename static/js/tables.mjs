// Tables reflow on narrow screens (320 px, or 400% zoom): each row becomes a block whose
// cells are headed by their column's name (app.scss, .app-table--reflow). Templates may
// write data-label themselves; this fills it in for every other table whose rows line up
// with its header, and leaves alone tables with merged cells.
function reflow(table) {
  if (table.classList.contains("app-table--reflow") || table.querySelector("[colspan], [rowspan]")) {
    return;
  }
  const header = table.querySelector("thead tr:last-child");
  if (!header) return;
  const names = Array.from(header.children, (cell) => cell.textContent.trim());
  const rows = table.querySelectorAll("tbody tr");
  for (const row of rows) {
    if (row.children.length !== names.length) return;
  }
  for (const row of rows) {
    Array.from(row.children).forEach((cell, index) => {
      if (!cell.hasAttribute("data-label") && names[index]) cell.setAttribute("data-label", names[index]);
    });
  }
  table.classList.add("app-table--reflow");
}

function reflowAll(root) {
  root.querySelectorAll("table.govuk-table").forEach(reflow);
}

reflowAll(document);
document.body.addEventListener("htmx:afterSwap", (event) => reflowAll(event.target));
