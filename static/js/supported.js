// Marks the page as able to run GOV.UK Frontend's JavaScript (kept external for a strict CSP).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
