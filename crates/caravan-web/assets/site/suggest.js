// Suggestions as you type: fills the search box's <datalist> from /api/v1/search/suggest.
// Only an enhancement: without JavaScript the search form works the same.
(function () {
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = null, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value;
      if (q === last || q.trim() === "") return;
      last = q;
      fetch("/api/v1/search/suggest?limit=8&q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (body) {
          while (list.firstChild) list.removeChild(list.firstChild);
          body.suggestions.forEach(function (s) {
            var o = document.createElement("option");
            o.value = s;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 120);
  });
})();
