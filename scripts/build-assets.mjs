// Builds static/build/ from the npm packages: compiles the service's Sass against
// govuk-frontend and copies the GOV.UK fonts, images and JavaScript, htmx and axe-core.
// The output is git-ignored; `make assets` (and so `make run` / `make test`) runs this.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const css = sass.compile(join(root, "static", "scss", "app.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "app.css"), css.css);

const govuk = join(modules, "govuk-frontend", "dist", "govuk");
cpSync(join(govuk, "assets"), join(out, "govuk", "assets"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(modules, "htmx.org", "dist", "htmx.min.js"), join(out, "htmx.min.js"));
cpSync(join(modules, "axe-core", "axe.min.js"), join(out, "axe.min.js"));
console.log(`assets built in ${out}`);
