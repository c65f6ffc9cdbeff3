// The field UI is built in the app issue; this shell only proves the window loads.
const app = document.getElementById("app");
if (app) {
  app.dataset.ready = "true";
}
