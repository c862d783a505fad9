// 免申即享: the header's box chooses or clears every person of the list.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("choose-all");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll("input[name=proposal]").forEach(function (box) { box.checked = all.checked; });
  });
});
