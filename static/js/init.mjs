// Starts GOV.UK Frontend's components. Every page works without this: it only enhances.
import { initAll } from "/static/build/govuk/govuk-frontend.min.js";
import "./evidence-draft.mjs";
import "./tables.mjs";

initAll();
