// Campaign sites: a poll's counts follow live once the visitor has voted (server-sent events of
// the page's own stream). Only an enhancement: the page already shows the counts it was
// rendered with, and every form works without this script.
(function () {
  var site = document.querySelector("[data-site]");
  if (!site || !window.EventSource) return;
  var slug = site.getAttribute("data-site");
  var polls = document.querySelectorAll("[data-poll]");
  for (var i = 0; i < polls.length; i++) {
    var box = polls[i];
    if (!box.querySelector(".poll-results")) continue;
    follow(box, box.getAttribute("data-poll"));
  }
  function follow(box, id) {
    var source = new EventSource("/c/" + slug + "/polls/" + id + "/stream");
    source.addEventListener("poll", function (e) {
      var poll;
      try { poll = JSON.parse(e.data); } catch (err) { return; }
      if (poll.total === null || poll.total === undefined) return;
      for (var k = 0; k < poll.options.length; k++) {
        var o = poll.options[k];
        var row = box.querySelector('[data-option="' + o.key + '"]');
        if (!row || o.votes === null) continue;
        var percent = poll.total > 0 ? Math.floor(o.votes * 100 / poll.total) : 0;
        row.querySelector(".votes").textContent = o.votes;
        var meter = row.querySelector("meter");
        meter.value = percent;
        meter.textContent = percent + "%";
      }
    });
  }
})();
