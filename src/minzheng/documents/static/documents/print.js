// The print button of every document (no inline script under the Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-document");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
});
