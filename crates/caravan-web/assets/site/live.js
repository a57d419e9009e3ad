// The live festival screen: the server renders the figures; this script follows the server-sent
// events of /admin/festival/live/stream, updates them every second, and draws orders per second
// with the vendored uPlot.
(function () {
  var root = document.getElementById("live");
  if (!root || !window.EventSource) return;
  var lang = root.getAttribute("data-lang") || "en";
  var ints = new Intl.NumberFormat(lang);
  var rate = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  var names = window.Intl && Intl.DisplayNames ? new Intl.DisplayNames([lang], { type: "region" }) : null;
  var chartEl = document.getElementById("live-chart");
  var chart = null;
  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }
  function money(m) {
    if (!m) return "";
    var digits = m.amount.split(".")[1];
    return new Intl.NumberFormat(lang, { style: "currency", currency: m.currency,
      minimumFractionDigits: digits ? digits.length : 0 }).format(Number(m.amount));
  }
  function list(id, rows, render) {
    var el = document.getElementById(id);
    if (!el) return;
    while (el.firstChild) el.removeChild(el.firstChild);
    rows.forEach(function (r) { el.appendChild(render(r)); });
  }
  function country(row) {
    var li = document.createElement("li");
    li.textContent = (names ? names.of(row[0]) : row[0]) + " ";
    var n = document.createElement("span");
    n.className = "num";
    n.textContent = ints.format(row[1]);
    li.appendChild(n);
    return li;
  }
  function deal(d) {
    var li = document.createElement("li");
    li.textContent = d.title + " ";
    var m = document.createElement("meter");
    m.min = 0; m.max = 100; m.value = d.claimed_percent;
    li.appendChild(m);
    var n = document.createElement("span");
    n.className = "num";
    n.textContent = " " + d.claimed_percent + "%";
    li.appendChild(n);
    return li;
  }
  function draw(series) {
    if (!window.uPlot || !chartEl) return;
    var data = [series.map(function (p) { return p[0]; }), series.map(function (p) { return p[1]; })];
    if (!chart) {
      chart = new uPlot({ width: chartEl.clientWidth || 600, height: 220,
        series: [{}, { label: root.getAttribute("data-chart-label"), stroke: "#c0392b", fill: "rgba(192,57,43,0.15)" }],
        axes: [{}, {}] }, data, chartEl);
    } else {
      chart.setData(data);
    }
  }
  // One campaign's totals (no stream): nothing to follow.
  if (!root.getAttribute("data-stream")) return;
  var source = new EventSource(root.getAttribute("data-stream"));
  source.addEventListener("figures", function (e) {
    var f = JSON.parse(e.data);
    if (!f.updated_at) return;
    text("live-gmv", money(f.gmv));
    text("live-orders", ints.format(f.orders));
    text("live-rate", rate.format(f.orders_per_s));
    text("live-sold-out", ints.format(f.sold_out));
    text("live-updated", new Date(f.updated_at).toLocaleTimeString(lang));
    root.setAttribute("data-position", f.position);
    list("live-countries", f.countries, country);
    list("live-deals", f.deals, deal);
    draw(f.per_second);
  });
})();
