/* The report's table (sort, filter, entity switch) and its detail views; no libraries but plotly.js. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var state = {entity: "variety", key: "rank", dir: 1, text: "", level: "all", change: "all", limit: D.page_rows};
  var COLS = {
    variety: [["rank", "Rank 排名", "num"], ["variety_id", "Variety 品种", ""], ["name", "Name 通用名", ""],
              ["risk", "Risk 风险", "num"], ["level", "Level 预警级别", ""], ["tier", "Response 响应", ""],
              ["change", "Change 较上月", ""], ["drivers", "Drivers 主要因素", "drivers"]],
    enterprise: [["rank", "Rank 排名", "num"], ["enterprise_id", "Enterprise 企业", ""], ["ename", "Name 名称", ""],
                 ["province", "Province 省份", ""], ["variety_id", "Variety 品种", ""], ["name", "Drug 通用名", ""],
                 ["risk", "Risk 风险", "num"], ["level", "Level 预警级别", ""], ["change", "Change 较上月", ""],
                 ["drivers", "Drivers 主要因素", "drivers"]]
  };
  var CHANGE_ORDER = {"new": 3, "up": 2, "down": 1, "same": 0, "": -1};
  var $ = function (id) { return document.getElementById(id); };

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function severity(level) { return level > 0 ? 5 - level : 0; }
  function levelBadge(level) {
    var n = D.names[String(level)];
    return '<span class="badge lv' + level + '">' + esc(n[0]) + " · " + esc(n[1]) + "</span>";
  }
  function changeText(r) {
    if (!D.previous_month) { return '<span class="muted">–</span>'; }
    var words = {"new": "▲ new 新增", "up": "▲ up 升级", "down": "▼ down 降级", "same": "= same"};
    var move = "";
    if (r.rank_move === null) { move = ' <span class="muted">(not ranked before)</span>'; }
    else if (r.rank_move !== 0) { move = " <span class=\"muted\">rank " + (r.rank_move > 0 ? "↑" : "↓") + Math.abs(r.rank_move) + "</span>"; }
    return '<span class="chg-' + r.change + '">' + words[r.change] + "</span>" + move;
  }
  function link(kind, id) {
    return '<a class="open" data-open="' + kind + '" data-id="' + esc(id) + '">' + esc(id) + "</a>";
  }

  D.rows.forEach(function (r) {
    var v = D.varieties[r.variety_id] || {}, e = D.enterprises[r.enterprise_id] || {};
    r.name = v.name || ""; r.ename = e.name || ""; r.province = e.province || "";
    r.hay = [r.variety_id, r.enterprise_id, r.name, v.form, v["class"], r.ename, r.province, r.drivers,
             D.names[String(r.level)].join(" "), r.tier].join(" ").toLowerCase();
  });

  function sortValue(r, key) {
    if (key === "level") { return severity(r.level); }
    if (key === "change") { return CHANGE_ORDER[r.change] * 100000 + (r.rank_move || 0); }
    return r[key];
  }
  function visibleRows() {
    var text = state.text.trim().toLowerCase();
    var rows = D.rows.filter(function (r) {
      if (r.entity !== state.entity) { return false; }
      if (state.level === "warned" && r.level === 0) { return false; }
      if (state.level !== "all" && state.level !== "warned" && r.level !== Number(state.level)) { return false; }
      if (state.change !== "all" && r.change !== state.change) { return false; }
      return !text || r.hay.indexOf(text) >= 0;
    });
    var key = state.key, dir = state.dir;
    return rows.sort(function (a, b) {
      var x = sortValue(a, key), y = sortValue(b, key);
      if (x === y) { return a.rank - b.rank; }
      if (x === null || x === undefined) { return 1; }
      if (y === null || y === undefined) { return -1; }
      return (x < y ? -1 : 1) * dir;
    });
  }
  function cell(r, col) {
    var key = col[0], cls = col[2];
    var html;
    if (key === "variety_id") { html = link("variety", r.variety_id); }
    else if (key === "enterprise_id") { html = link("enterprise", r.enterprise_id); }
    else if (key === "risk") { html = r.risk.toFixed(3); }
    else if (key === "level") { html = levelBadge(r.level) + (r.ongoing ? ' <span class="muted">ongoing 进行中</span>' : ""); }
    else if (key === "change") { html = changeText(r); }
    else { html = esc(r[key]); }
    return '<td class="' + cls + " c-" + key + '">' + html + "</td>";
  }
  function renderTable() {
    var cols = COLS[state.entity];
    var head = "<tr>" + cols.map(function (c) {
      var sorted = c[0] === state.key ? (state.dir > 0 ? " sorted-asc" : " sorted-desc") : "";
      return '<th data-key="' + c[0] + '" class="c-' + c[0] + sorted + '">' + c[1] + "</th>";
    }).join("") + "</tr>";
    document.querySelector("#watchlist thead").innerHTML = head;
    $("watchlist").className = state.entity;
    var matching = visibleRows();
    var rows = matching.slice(0, state.limit);
    document.querySelector("#watchlist tbody").innerHTML = rows.map(function (r) {
      return '<tr data-entity="' + r.entity + '" data-variety="' + esc(r.variety_id) + '" data-enterprise="' +
        esc(r.enterprise_id) + '">' + cols.map(function (c) { return cell(r, c); }).join("") + "</tr>";
    }).join("");
    var total = D.rows.filter(function (r) { return r.entity === state.entity; }).length;
    $("shown").textContent = "showing " + rows.length + " of " + matching.length +
      (matching.length < total ? " matching (" + total + " in all)" : "");
    $("more").hidden = matching.length <= rows.length;
  }

  /* A new sort or filter starts again from the first page: a national table (thousands of rows) lays out slowly. */
  function rerender() { state.limit = D.page_rows; renderTable(); }

  function summary() {
    var parts = ["As of " + D.month + (D.horizon ? " · risk of onset within " + D.horizon + " months" : "")];
    ["variety", "enterprise"].forEach(function (entity) {
      var c = D.counts[entity];
      if (!c) { return; }
      var total = 0, warned = [];
      Object.keys(c).forEach(function (lv) { total += c[lv]; });
      ["1", "2", "3", "4"].forEach(function (lv) { if (c[lv]) { warned.push(D.names[lv][0] + " " + c[lv]); } });
      parts.push(total + (entity === "variety" ? " varieties" : " enterprise-variety pairs") +
        " (" + (warned.length ? warned.join(", ") : "no warning") + ")");
    });
    if (D.previous_month) {
      var n = {"new": 0, "up": 0, "down": 0};
      D.rows.forEach(function (r) { if (r.entity === "variety" && n[r.change] !== undefined) { n[r.change] += 1; } });
      parts.push("varieties since " + D.previous_month + ": " + n["new"] + " new, " + n.up + " up, " + n.down + " down");
    } else {
      parts.push("no previous month to compare");
    }
    $("summary").textContent = parts.join(" · ");
    $("month").textContent = D.month;
  }

  function rowsOf(filter) { return D.rows.filter(filter).sort(function (a, b) { return a.rank - b.rank; }); }
  function pairTable(rows, first) {
    if (!rows.length) { return '<p class="muted">none scored this month</p>'; }
    var head = first === "enterprise" ? "<th>Enterprise 企业</th><th>Province 省份</th>" : "<th>Variety 品种</th><th>Name 通用名</th>";
    return "<table><thead><tr>" + head + "<th>Risk</th><th>Level 预警</th><th>Rank</th><th>Change</th><th>Drivers</th></tr></thead><tbody>" +
      rows.map(function (r) {
        var lead = first === "enterprise" ? link("enterprise", r.enterprise_id) + " " + esc(r.ename) + "</td><td>" + esc(r.province)
          : link("variety", r.variety_id) + "</td><td>" + esc(r.name);
        return "<tr><td>" + lead + '</td><td class="num">' + r.risk.toFixed(3) + "</td><td>" + levelBadge(r.level) +
          '</td><td class="num">' + r.rank + "</td><td>" + changeText(r) + '</td><td class="drivers">' + esc(r.drivers) + "</td></tr>";
      }).join("") + "</tbody></table>";
  }
  function driverList(text) {
    var items = (text || "").split(";").map(function (s) { return s.trim(); }).filter(Boolean);
    return items.length ? "<ul>" + items.map(function (s) { return "<li>" + esc(s) + "</li>"; }).join("") + "</ul>"
      : '<p class="muted">none listed</p>';
  }
  function mark(kind, id) {
    document.querySelectorAll("#watchlist tbody tr.selected").forEach(function (tr) { tr.classList.remove("selected"); });
    document.querySelectorAll('#watchlist tbody tr[data-' + kind + '="' + CSS.escape(id) + '"]').forEach(function (tr) {
      tr.classList.add("selected");
    });
    history.replaceState(null, "", "#" + kind + "/" + encodeURIComponent(id));
  }
  function clearChart() {
    var chart = $("chart");
    if (window.Plotly) { Plotly.purge(chart); }
    chart.innerHTML = ""; chart.removeAttribute("data-variety");
  }

  /* With a detail open the table keeps its key columns (the detail shows the drivers). */
  function showDetail() { $("detail").hidden = false; document.querySelector("main").classList.add("detail-open"); }

  function openVariety(id) {
    var row = D.rows.filter(function (r) { return r.entity === "variety" && r.variety_id === id; })[0];
    var v = D.varieties[id] || {};
    var flags = [];
    if (v.shortage_list) { flags.push("national shortage list 短缺药品清单"); }
    if (v.key_list) { flags.push("key monitoring list 重点监测清单"); }
    if (v.essential) { flags.push("essential 基本药物"); }
    if (v.vbp_batch !== null && v.vbp_batch !== undefined) { flags.push("VBP batch 集采批次 " + v.vbp_batch); }
    showDetail();
    $("detail-head").innerHTML = "<h2>" + esc(id) + " " + esc(v.name || "") + ' <span class="muted">' + esc(v.form || "") +
      (v["class"] ? " · " + esc(v["class"]) : "") + "</span></h2>" +
      (row ? "<p>" + levelBadge(row.level) + " risk " + row.risk.toFixed(3) + " · rank " + row.rank + " · response " +
        esc(row.tier) + " · " + changeText(row) + (row.ongoing ? " · shortage ongoing 短缺进行中" : "") + "</p>" : "") +
      (flags.length ? '<p class="muted">' + esc(flags.join(" · ")) + "</p>" : "");
    clearChart();
    var detail = D.details[id];
    var body = "<h3>Drivers 主要因素</h3>" + driverList(row ? row.drivers : "");
    if (detail) {
      var chart = $("chart");
      Plotly.newPlot(chart, detail.figure.data, detail.figure.layout, {displaylogo: false, responsive: true})
        .then(function () { chart.setAttribute("data-variety", id); });
      if (!detail.has_forecast) { body = '<p class="muted">no forecast as of ' + esc(D.month) + " for this variety</p>" + body; }
      body += "<h3>Suspensions reported by " + esc(D.month) + " 停产报告</h3>" + suspensionTable(detail.suspensions);
    } else {
      $("chart").innerHTML = '<p class="muted">No chart in this file: charts are kept for the top ' + D.detail_rule.top +
        " varieties by risk and every warned one (at most " + D.detail_rule.max + ").</p>";
    }
    body += "<h3>Producers 生产企业 (pair risk)</h3>" +
      pairTable(rowsOf(function (r) { return r.entity === "enterprise" && r.variety_id === id; }), "enterprise");
    $("detail-body").innerHTML = body;
    mark("variety", id);
  }
  function suspensionTable(list) {
    if (!list.length) { return '<p class="muted">none</p>'; }
    return "<table><thead><tr><th>Enterprise</th><th>Reason</th><th>Start</th><th>Reported</th><th>Expected end</th><th>Actual end</th></tr></thead><tbody>" +
      list.map(function (s) {
        var e = D.enterprises[s.enterprise_id] || {};
        return "<tr><td>" + link("enterprise", s.enterprise_id) + " " + esc(e.name || "") + "</td><td>" + esc(s.reason) +
          "</td><td>" + esc(s.start) + "</td><td>" + esc(s.reported) + "</td><td>" + esc(s.expected_end || "–") +
          "</td><td>" + esc(s.actual_end || "ongoing") + "</td></tr>";
      }).join("") + "</tbody></table>";
  }
  function openEnterprise(id) {
    var e = D.enterprises[id] || {};
    var rows = rowsOf(function (r) { return r.entity === "enterprise" && r.enterprise_id === id; });
    var warned = rows.filter(function (r) { return r.level > 0; }).length;
    showDetail();
    $("detail-head").innerHTML = "<h2>" + esc(id) + " " + esc(e.name || "") + "</h2><p>" + esc(e.province || "") +
      (e.reserve ? " · key reserve enterprise 储备企业" : "") + " · " + rows.length + " varieties scored, " + warned + " warned</p>";
    clearChart();
    $("detail-body").innerHTML = "<h3>Varieties 品种 (pair risk)</h3>" + pairTable(rows, "variety");
    mark("enterprise", id);
  }
  function open(kind, id) { if (kind === "variety") { openVariety(id); } else { openEnterprise(id); } }

  document.querySelector("#watchlist thead").addEventListener("click", function (ev) {
    var th = ev.target.closest("th");
    if (!th) { return; }
    var key = th.getAttribute("data-key");
    state.dir = state.key === key ? -state.dir : (key === "risk" || key === "level" || key === "change" ? -1 : 1);
    state.key = key;
    rerender();
  });
  document.body.addEventListener("click", function (ev) {
    var a = ev.target.closest("a.open");
    if (a) { ev.preventDefault(); open(a.getAttribute("data-open"), a.getAttribute("data-id")); }
  });
  $("filter").addEventListener("input", function (ev) { state.text = ev.target.value; rerender(); });
  $("level").addEventListener("change", function (ev) { state.level = ev.target.value; rerender(); });
  $("change").addEventListener("change", function (ev) { state.change = ev.target.value; rerender(); });
  $("more").addEventListener("click", function () { state.limit += D.page_rows; renderTable(); });
  document.querySelectorAll('input[name="entity"]').forEach(function (input) {
    input.addEventListener("change", function (ev) { state.entity = ev.target.value; state.key = "rank"; state.dir = 1; rerender(); });
  });
  $("close").addEventListener("click", function () {
    clearChart(); $("detail").hidden = true; document.querySelector("main").classList.remove("detail-open");
    history.replaceState(null, "", "#");
  });
  if (!D.previous_month) { $("change").disabled = true; }

  summary();
  renderTable();
  var hash = decodeURIComponent(location.hash.slice(1)).split("/");
  if ((hash[0] === "variety" || hash[0] === "enterprise") && hash[1]) { open(hash[0], hash.slice(1).join("/")); }
})();
