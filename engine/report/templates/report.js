/* The report's views (onset ranking, in shortage now, month comparison), filters, CSV export, variety and
   enterprise details with risk trend, and the what-if form (served reports only); no libraries but plotly.js. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var OPT = {};
  (D.optional || []).forEach(function (c) { OPT[c] = true; });
  var TIERS = {"0": "none", "4": "county", "3": "city", "2": "provincial", "1": "national"};
  var FACETS = ["province", "class", "list", "essential", "vbp", "form"];
  var state = {entity: "variety", key: "rank", dir: 1, text: "", level: "all", change: "all", limit: D.page_rows,
               view: "watchlist", lang: "en", month: D.month, facet: {}};
  var $ = function (id) { return document.getElementById(id); };
  var SERVED = location.protocol.indexOf("http") === 0 && /\/ui$/.test(location.pathname);
  var CHANGE_ORDER = {"new": 3, "up": 2, "down": 1, "same": 0, "": -1};

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
  function reasonWords(code) {
    var w = D.reasons[code];
    return w ? (state.lang === "zh" ? w[1] : w[0]) : code;
  }
  function drivers(r) { return state.lang === "zh" && r.drivers_zh ? r.drivers_zh : (r.drivers || ""); }
  function label(vid) {
    var v = D.varieties[vid] || {};
    return (v.name || "") + (v.form ? " (" + v.form + ")" : "");
  }
  function previousMonth() { return state.month === D.month ? D.previous_month : snapshotPrevious(); }
  function changeText(r) {
    if (!previousMonth()) { return '<span class="muted">–</span>'; }
    var words = {"new": "▲ new 新增", "up": "▲ up 升级", "down": "▼ down 降级", "same": "= same"};
    var move = "";
    if (r.rank_move === null) { move = ' <span class="muted">(not ranked before)</span>'; }
    else if (r.rank_move) { move = " <span class=\"muted\">rank " + (r.rank_move > 0 ? "↑" : "↓") + Math.abs(r.rank_move) + "</span>"; }
    return '<span class="chg-' + r.change + '">' + words[r.change] + "</span>" + move;
  }
  function link(kind, id) {
    return '<a class="open" data-open="' + kind + '" data-id="' + esc(id) + '">' + esc(id) + "</a>";
  }

  /* ---- rows: this month's from the watchlist; another stored month's from the embedded history ---- */
  function decorate(r) {
    var v = D.varieties[r.variety_id] || {}, e = D.enterprises[r.enterprise_id] || {};
    r.name = label(r.variety_id); r.ename = e.name || "";
    r.province = r.entity === "enterprise" ? (e.province || "") : (v.provinces || []).join(" ");
    r.hay = [r.variety_id, r.enterprise_id, r.name, v["class"], r.ename, r.province, (v.provinces || []).join(" "),
             r.drivers, r.drivers_zh, r.level_reason, D.names[String(r.level)].join(" "), r.tier].join(" ").toLowerCase();
    return r;
  }
  D.rows.forEach(decorate);
  var H = D.history || {months: [], rows: {}};
  function historyRows(month) {
    var i = H.months.indexOf(month), rows = [];
    Object.keys(H.rows).forEach(function (vid) {
      var p = H.rows[vid][i], q = i > 0 ? H.rows[vid][i - 1] : null;
      if (!p) { return; }
      var before = q ? severity(q[1]) : 0, now = severity(p[1]);
      rows.push(decorate({entity: "variety", variety_id: vid, enterprise_id: "", rank: p[2], risk: p[0], level: p[1],
        tier: TIERS[String(p[1])], drivers: "", ongoing: false, prev_level: q ? q[1] : null,
        rank_move: q ? q[2] - p[2] : null,
        change: i === 0 ? "" : (now > 0 && before === 0 ? "new" : now > before ? "up" : now < before ? "down" : "same")}));
    });
    return rows;
  }
  function snapshotPrevious() { var i = H.months.indexOf(state.month); return i > 0 ? H.months[i - 1] : null; }
  var ROWS = D.rows;

  /* ---- facets (dropdown filters) ---- */
  function listOf(v) {
    return v.shortage_list && v.key_list ? "both" : v.shortage_list ? "shortage" : v.key_list ? "key" : "none";
  }
  function facetValue(r, facet) {
    var v = D.varieties[r.variety_id] || {};
    if (facet === "province") {
      return r.entity === "enterprise" ? [(D.enterprises[r.enterprise_id] || {}).province || ""] : (v.provinces || []);
    }
    if (facet === "class") { return [v["class"] || ""]; }
    if (facet === "form") { return [v.form || ""]; }
    if (facet === "essential") { return [v.essential === true ? "yes" : v.essential === false ? "no" : ""]; }
    if (facet === "vbp") { return [v.vbp_batch === null || v.vbp_batch === undefined ? "none" : String(v.vbp_batch)]; }
    var l = listOf(v);
    return l === "both" ? ["both", "shortage", "key"] : [l];
  }
  var FACET_LABEL = {province: "province 省份", "class": "class 治疗类别", list: "list 清单", essential: "essential 基本药物",
                     vbp: "VBP batch 集采批次", form: "form 剂型"};
  var FACET_WORDS = {list: {shortage: "national shortage list 短缺清单", key: "key monitoring list 重点监测",
                            both: "both lists 两个清单", none: "on no list 不在清单"},
                     essential: {yes: "essential 是", no: "not essential 否"}, vbp: {none: "not procured 未集采"}};
  function fillFacets() {
    FACETS.forEach(function (facet) {
      var seen = {};
      D.rows.forEach(function (r) { facetValue(r, facet).forEach(function (x) { if (x) { seen[x] = true; } }); });
      var values = Object.keys(seen).sort(function (a, b) { return isNaN(a) || isNaN(b) ? a.localeCompare(b) : a - b; });
      var words = FACET_WORDS[facet] || {};
      var select = $("f-" + facet);
      select.innerHTML = '<option value="">' + FACET_LABEL[facet] + ": all 全部</option>" + values.map(function (x) {
        return '<option value="' + esc(x) + '">' + esc(words[x] || (facet === "vbp" ? "batch " + x : x)) + "</option>";
      }).join("");
      select.disabled = values.length === 0;
    });
  }
  function facetsMatch(r) {
    return FACETS.every(function (f) { return !state.facet[f] || facetValue(r, f).indexOf(state.facet[f]) >= 0; });
  }

  function sortValue(r, key) {
    if (key === "level") { return severity(r.level); }
    if (key === "change") { return CHANGE_ORDER[r.change] * 100000 + (r.rank_move || 0); }
    return r[key];
  }
  function visibleRows() {
    var text = state.text.trim().toLowerCase();
    var rows = ROWS.filter(function (r) {
      if (r.entity !== state.entity) { return false; }
      if (r.entity === "variety" && r.ongoing) { return false; }  /* listed under "in shortage now" */
      if (state.level === "warned" && r.level === 0) { return false; }
      if (state.level !== "all" && state.level !== "warned" && r.level !== Number(state.level)) { return false; }
      if (state.change !== "all" && r.change !== state.change) { return false; }
      if (!facetsMatch(r)) { return false; }
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
  function columns() {
    var base = state.entity === "variety"
      ? [["rank", "Rank 排名", "num"], ["variety_id", "Variety 品种", ""], ["name", "Name (form) 通用名(剂型)", ""],
         ["risk", "Risk 风险", "num"], ["level", "Level 预警级别", ""]]
      : [["rank", "Rank 排名", "num"], ["enterprise_id", "Enterprise 企业", ""], ["ename", "Name 名称", ""],
         ["province", "Province 省份", ""], ["variety_id", "Variety 品种", ""], ["name", "Drug (form) 药品(剂型)", ""],
         ["risk", "Risk 风险", "num"], ["level", "Level 预警级别", ""]];
    if (OPT.impact && state.month === D.month) { base.push(["impact", "Impact 影响分", "num"]); }
    if (state.entity === "variety") { base.push(["tier", "Response 响应", ""]); }
    base.push(["change", "Change 较上月", ""]);
    if (OPT.level_reason && state.month === D.month) { base.push(["level_reason", "Why this level 定级理由", "reason"]); }
    base.push(["drivers", "Drivers 主要因素", "drivers"]);
    return base;
  }
  function cell(r, col) {
    var key = col[0], cls = col[2];
    var html;
    if (key === "variety_id") { html = link("variety", r.variety_id); }
    else if (key === "enterprise_id") { html = link("enterprise", r.enterprise_id); }
    else if (key === "risk") { html = r.risk.toFixed(3); }
    else if (key === "level") { html = levelBadge(r.level) + (r.ongoing ? ' <span class="muted">ongoing 进行中</span>' : ""); }
    else if (key === "change") { html = changeText(r); }
    else if (key === "drivers") { html = esc(drivers(r)); }
    else { html = esc(r[key]); }
    return '<td class="' + cls + " c-" + key + '">' + html + "</td>";
  }
  function renderTable() {
    var cols = columns();
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
    var total = ROWS.filter(function (r) { return r.entity === state.entity && !(r.entity === "variety" && r.ongoing); }).length;
    $("shown").textContent = "showing " + rows.length + " of " + matching.length +
      (matching.length < total ? " matching (" + total + " in all)" : "");
    $("more").hidden = matching.length <= rows.length;
    var ongoing = ROWS.filter(function (r) { return r.entity === "variety" && r.ongoing; }).length;
    $("ongoing-note").hidden = !(ongoing && state.entity === "variety");
    $("ongoing-note").textContent = ongoing + " varieties already in shortage are listed under “In shortage now” " +
      "(their onset risk is not ranked here) 已短缺品种另列";
  }
  /* A new sort or filter starts again from the first page: a national table (thousands of rows) lays out slowly. */
  function rerender() { state.limit = D.page_rows; renderTable(); }

  /* ---- CSV export of the filtered table (every matching row, not only the drawn page) ---- */
  function csvCell(x) {
    var s = x === null || x === undefined ? "" : String(x);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function exportCsv() {
    var head = ["month", "entity", "rank", "variety_id", "generic_name", "dosage_form", "enterprise_id", "enterprise",
                "province", "risk", "warning_level", "level_name", "response_tier", "change", "ongoing"];
    (D.optional || []).forEach(function (c) { head.push(c); });
    head.push("drivers");
    var lines = [head.join(",")].concat(visibleRows().map(function (r) {
      var v = D.varieties[r.variety_id] || {};
      var values = [state.month, r.entity, r.rank, r.variety_id, v.name, v.form, r.enterprise_id, r.ename, r.province,
                    r.risk, r.level, D.names[String(r.level)][0], r.tier, r.change, r.ongoing];
      (D.optional || []).forEach(function (c) { values.push(r[c]); });
      values.push(r.drivers);
      return values.map(csvCell).join(",");
    }));
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "watchlist-" + state.month + "-" + state.entity + ".csv";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

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
    $("n-shortage").textContent = "(" + (D.in_shortage || []).length + ")";
  }

  /* ---- the warning policy in force (the model's fitted thresholds, or the configured ones) ---- */
  function renderPolicy() {
    var p = D.policy;
    if (!p || !p.levels) { return; }
    var rows = p.levels.filter(function (r) { return r.level >= 1; }).map(function (r) {
      var on = r.active !== false;
      return "<tr data-level='" + r.level + "'><td>" + levelBadge(r.level) + "</td><td>" +
        (on ? "risk ≥ " + Number(r.min_risk).toFixed(4) : "off 未启用") + "</td><td>" + esc(r.min_impact) + "</td><td>" +
        (on && r.share !== null && r.share !== undefined ? (100 * r.share).toFixed(1) + "%" : "") + "</td><td>" +
        (on && r.lift !== null && r.lift !== undefined ? Number(r.lift).toFixed(2) + "x" : "") + "</td></tr>";
    });
    $("policy-body").innerHTML = "<p class='muted' id='policy-basis'>" + esc(p.fitted_on) + "</p>" +
      "<table><thead><tr><th>level 级别</th><th>threshold 阈值</th><th>min impact 最低影响</th>" +
      "<th>share of rows 占比</th><th>lift 提升倍数</th></tr></thead><tbody>" + rows.join("") + "</tbody></table>" +
      "<p class='muted'>Varieties already in shortage are at most blue: levels 1-3 warn of shortages still to come. " +
      "已在短缺中的品种最高为蓝色：1-3级预警针对尚未发生的短缺。</p>";
    $("policy").hidden = false;
  }

  /* ---- month picker: a served report loads the month's own report; the offline file shows the stored run ---- */
  function fillMonths() {
    var months = SERVED ? D.store_months : H.months.indexOf(D.month) >= 0 ? H.months : [D.month];
    $("month-pick").innerHTML = months.slice().reverse().map(function (m) {
      return '<option value="' + m + '"' + (m === D.month ? " selected" : "") + ">" + m + "</option>";
    }).join("");
    $("month-pick").disabled = months.length < 2;
  }
  function pickMonth(month) {
    if (SERVED) {
      var q = new URLSearchParams(location.search);
      q.set("month", month);
      location.search = q.toString();
      return;
    }
    state.month = month;
    ROWS = month === D.month ? D.rows : historyRows(month);
    var note = $("snapshot");
    note.hidden = month === D.month;
    note.textContent = "Showing the stored run of " + month + " (varieties: rank, risk, level, change); drivers, " +
      "charts and enterprises are in that month's own report. 显示" + month + "的存档结果";
    if (month !== D.month) { state.entity = "variety"; $("entity-variety").checked = true; }
    $("entity-enterprise").disabled = month !== D.month;
    $("change").disabled = !previousMonth();
    rerender();
  }

  /* ---- in shortage now ---- */
  function renderShortage() {
    var list = D.in_shortage || [];
    var byId = {};
    D.rows.forEach(function (r) { if (r.entity === "variety") { byId[r.variety_id] = r; } });
    if (!list.length) { $("view-shortage").innerHTML = '<p class="muted">no variety in shortage as of ' + esc(D.month) + "</p>"; return; }
    $("view-shortage").innerHTML = '<p class="muted">Varieties with a confirmed shortage ongoing at ' + esc(D.month) +
      "; their risk of a new onset is not ranked. 截至本月仍在短缺的品种</p><table id=\"shortage-table\"><thead><tr>" +
      "<th>Variety 品种</th><th>Name (form) 通用名(剂型)</th><th>Since 起始</th><th>Months 持续月数</th><th>Scope 范围</th>" +
      "<th>Producers affected 受影响企业</th><th>Level 预警</th>" + (OPT.level_reason ? "<th>Why this level 定级理由</th>" : "") +
      "<th>Drivers 主要因素</th></tr></thead><tbody>" + list.map(function (s) {
        var r = byId[s.variety_id] || {level: 0};
        var stopped = s.suspended.map(function (e) { return link("enterprise", e); }).join(" ");
        return '<tr data-variety="' + esc(s.variety_id) + '"><td>' + link("variety", s.variety_id) + "</td><td>" +
          esc(label(s.variety_id)) + "</td><td>" + esc(s.since || "–") + '</td><td class="num">' +
          (s.months === null ? "–" : s.months) + "</td><td>" + esc(s.scope || "–") + "</td><td>" +
          s.suspended.length + " of " + s.producers + " suspended 停产" + (stopped ? ": " + stopped : "") + "</td><td>" +
          levelBadge(r.level) + "</td>" + (OPT.level_reason ? '<td class="reason">' + esc(r.level_reason) + "</td>" : "") +
          '<td class="drivers">' + esc(drivers(r)) + "</td></tr>";
      }).join("") + "</tbody></table>";
  }

  /* ---- comparison of any two stored months ---- */
  function fillCompare() {
    var opts = H.months.slice().reverse().map(function (m) { return '<option value="' + m + '">' + m + "</option>"; }).join("");
    $("cmp-a").innerHTML = opts; $("cmp-b").innerHTML = opts;
    var n = H.months.length;
    if (n) { $("cmp-b").value = H.months[n - 1]; $("cmp-a").value = H.months[Math.max(0, n - 2)]; }
  }
  function compareRows(a, b) {
    var ia = H.months.indexOf(a), ib = H.months.indexOf(b), out = [];
    Object.keys(H.rows).forEach(function (vid) {
      var p = H.rows[vid][ia], q = H.rows[vid][ib];
      var before = p ? severity(p[1]) : 0, now = q ? severity(q[1]) : 0, kind = null;
      if (now > 0 && before === 0) { kind = "new"; }
      else if (now === 0 && before > 0) { kind = "resolved"; }
      else if (now > before) { kind = "up"; }
      else if (now < before) { kind = "down"; }
      if (kind) { out.push({kind: kind, variety_id: vid, a: p, b: q}); }
    });
    var order = {"new": 0, up: 1, down: 2, resolved: 3};
    return out.sort(function (x, y) {
      return order[x.kind] - order[y.kind] || (y.b ? y.b[0] : 0) - (x.b ? x.b[0] : 0);
    });
  }
  function renderCompare() {
    var a = $("cmp-a").value, b = $("cmp-b").value;
    if (H.months.length < 2) {
      $("cmp-summary").textContent = "";
      $("cmp-body").innerHTML = '<p class="muted">only ' + H.months.length + " run in the store: nothing to compare</p>";
      return;
    }
    var rows = compareRows(a, b), counts = {"new": 0, up: 0, down: 0, resolved: 0};
    rows.forEach(function (r) { counts[r.kind] += 1; });
    $("cmp-summary").textContent = a + " → " + b + ": " + counts["new"] + " new 新增, " + counts.up + " up 升级, " +
      counts.down + " down 降级, " + counts.resolved + " resolved 解除";
    var words = {"new": "▲ new 新增", up: "▲ up 升级", down: "▼ down 降级", resolved: "✓ resolved 解除"};
    function side(p) { return p ? levelBadge(p[1]) + ' <span class="muted">' + p[0].toFixed(3) + "</span>" : '<span class="muted">not scored</span>'; }
    $("cmp-body").innerHTML = rows.length ? '<table id="compare-table"><thead><tr><th>Change 变化</th><th>Variety 品种</th>' +
      "<th>Name (form) 通用名(剂型)</th><th>" + esc(a) + "</th><th>" + esc(b) + "</th></tr></thead><tbody>" +
      rows.map(function (r) {
        return '<tr data-kind="' + r.kind + '" data-variety="' + esc(r.variety_id) + '"><td class="chg-' + r.kind + '">' +
          words[r.kind] + "</td><td>" + link("variety", r.variety_id) + "</td><td>" + esc(label(r.variety_id)) +
          "</td><td>" + side(r.a) + "</td><td>" + side(r.b) + "</td></tr>";
      }).join("") + "</tbody></table>" : '<p class="muted">no level changed between ' + esc(a) + " and " + esc(b) + "</p>";
  }

  /* ---- supplier criticality (when the report was built with the what-if library's table) ---- */
  function renderCritical() {
    var rows = D.criticality || [];
    if (!rows.length) {
      $("view-critical").innerHTML = '<p class="muted" id="critical-none">No enterprise\'s 3-month suspension would turn ' +
        "a variety orange or red at " + esc(D.month) + " (what-if, scored from the champion models). " +
        "任一企业停产均不会使品种达到橙色或红色预警。</p>";
      return;
    }
    $("view-critical").innerHTML = '<p class="muted">If each enterprise suspended for 3 months (what-if, scored from the ' +
      "champion models on the panel as known at " + esc(D.month) + "): the varieties that would be orange or red, " +
      "single points of failure first. 企业停产情景下将达橙色或红色预警的品种</p>" +
      '<table id="critical-table"><thead><tr><th>#</th><th>Enterprise 企业</th><th>Province 省份</th><th>Variety 品种</th>' +
      "<th>Name (form) 通用名(剂型)</th><th>Level before → after 预警</th><th>Risk before → after 风险</th></tr></thead><tbody>" +
      rows.map(function (r) {
        var e = D.enterprises[r.enterprise_id] || {};
        return '<tr data-enterprise="' + esc(r.enterprise_id) + '" data-variety="' + esc(r.variety_id) + '"><td class="num">' +
          r.rank + "</td><td>" + link("enterprise", r.enterprise_id) + " " + esc(e.name || "") + "</td><td>" + esc(e.province || "") +
          "</td><td>" + link("variety", r.variety_id) + "</td><td>" + esc(label(r.variety_id)) + "</td><td>" + levelBadge(r.level_before) +
          " → " + levelBadge(r.level_after) + (r.newly ? ' <span class="chg-new">new 新增</span>' : "") + '</td><td class="num">' +
          r.risk_before.toFixed(3) + " → " + r.risk_after.toFixed(3) + "</td></tr>";
      }).join("") + "</tbody></table>";
  }

  function showView(view) {
    state.view = view;
    ["watchlist", "shortage", "compare", "critical"].forEach(function (v) { $("view-" + v).hidden = v !== view; });
    document.querySelectorAll("#views button").forEach(function (b) {
      b.classList.toggle("active", b.getAttribute("data-view") === view);
    });
    if (view === "shortage") { renderShortage(); }
    if (view === "compare") { renderCompare(); }
    if (view === "critical") { renderCritical(); }
  }

  /* ---- details ---- */
  function rowsOf(filter) { return D.rows.filter(filter).sort(function (a, b) { return a.rank - b.rank; }); }
  function pairTable(rows, first) {
    if (!rows.length) { return '<p class="muted">none scored this month</p>'; }
    var head = first === "enterprise" ? "<th>Enterprise 企业</th><th>Province 省份</th>" : "<th>Variety 品种</th><th>Name (form) 通用名(剂型)</th>";
    return "<table><thead><tr>" + head + "<th>Risk</th><th>Level 预警</th><th>Rank</th><th>Change</th><th>Drivers</th></tr></thead><tbody>" +
      rows.map(function (r) {
        var lead = first === "enterprise" ? link("enterprise", r.enterprise_id) + " " + esc(r.ename) + "</td><td>" + esc(r.province)
          : link("variety", r.variety_id) + "</td><td>" + esc(r.name);
        return "<tr><td>" + lead + '</td><td class="num">' + r.risk.toFixed(3) + "</td><td>" + levelBadge(r.level) +
          '</td><td class="num">' + r.rank + "</td><td>" + changeText(r) + '</td><td class="drivers">' + esc(drivers(r)) + "</td></tr>";
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
    history.replaceState(null, "", location.search + "#" + kind + "/" + encodeURIComponent(id));
  }
  function clearCharts() {
    ["chart", "trend"].forEach(function (name) {
      var el = $(name);
      if (window.Plotly) { Plotly.purge(el); }
      el.innerHTML = ""; el.removeAttribute("data-variety");
    });
  }
  function showDetail() { $("detail").hidden = false; document.querySelector("main").classList.add("detail-open"); }

  var LEVEL_COLORS = {"0": "#9e9e9e", "4": "#1e63d6", "3": "#f2c200", "2": "#ff8c00", "1": "#c00000"};
  function drawTrend(id) {
    var points = H.rows[id], el = $("trend");
    if (!points || H.months.length < 2) {
      el.innerHTML = '<p class="muted">risk trend: ' + H.months.length + " run(s) in the store</p>";
      return;
    }
    var x = [], y = [], colors = [], text = [];
    points.forEach(function (p, i) {
      if (!p) { return; }
      x.push(H.months[i]); y.push(p[0]); colors.push(LEVEL_COLORS[String(p[1])]);
      text.push(D.names[String(p[1])].join(" ") + " · rank " + p[2]);
    });
    var trace = {type: "scatter", mode: "lines+markers", x: x, y: y, text: text, name: "risk",
                 line: {color: "#555"}, marker: {color: colors, size: 9},
                 hovertemplate: "%{x}: %{y:.3f}<br>%{text}<extra></extra>"};
    var layout = {height: 170, margin: {l: 50, r: 10, t: 24, b: 30}, title: {text: "Risk over past runs 风险趋势", font: {size: 12}},
                  yaxis: {range: [0, 1.05], title: {text: "risk"}}, xaxis: {type: "category"}, showlegend: false};
    Plotly.newPlot(el, [trace], layout, {displaylogo: false, responsive: true}).then(function () {
      el.setAttribute("data-variety", id);
    });
  }
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
        esc(row.tier) + " · " + changeText(row) + (row.ongoing ? " · shortage ongoing 短缺进行中" : "") +
        (row.impact !== undefined && row.impact !== null ? " · impact 影响分 " + esc(row.impact) : "") + "</p>" : "") +
      (row && row.level_reason ? '<p class="reason">Why this level 定级理由: ' + esc(row.level_reason) + "</p>" : "") +
      (flags.length ? '<p class="muted">' + esc(flags.join(" · ")) + "</p>" : "");
    clearCharts();
    drawTrend(id);
    var detail = D.details[id];
    var body = "<h3>Drivers 主要因素</h3>" + driverList(row ? drivers(row) : "");
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
    whatifFor("variety", id);
    mark("variety", id);
  }
  function suspensionTable(list) {
    if (!list.length) { return '<p class="muted">none</p>'; }
    return '<table class="suspensions"><thead><tr><th>Enterprise</th><th>Reason 原因</th><th>Start</th><th>Reported</th><th>Expected end</th><th>Actual end</th></tr></thead><tbody>' +
      list.map(function (s) {
        var e = D.enterprises[s.enterprise_id] || {};
        return "<tr><td>" + link("enterprise", s.enterprise_id) + " " + esc(e.name || "") + '</td><td class="c-reason" title="' +
          esc(s.reason) + '">' + esc(reasonWords(s.reason)) + "</td><td>" + esc(s.start) + "</td><td>" + esc(s.reported) +
          "</td><td>" + esc(s.expected_end || "–") + "</td><td>" + esc(s.actual_end || "ongoing") + "</td></tr>";
      }).join("") + "</tbody></table>";
  }
  function openEnterprise(id) {
    var e = D.enterprises[id] || {};
    var rows = rowsOf(function (r) { return r.entity === "enterprise" && r.enterprise_id === id; });
    var warned = rows.filter(function (r) { return r.level > 0; }).length;
    showDetail();
    $("detail-head").innerHTML = "<h2>" + esc(id) + " " + esc(e.name || "") + "</h2><p>" + esc(e.province || "") +
      (e.reserve ? " · key reserve enterprise 储备企业" : "") + " · " + rows.length + " varieties scored, " + warned + " warned</p>";
    clearCharts();
    $("detail-body").innerHTML = "<h3>Varieties 品种 (pair risk)</h3>" + pairTable(rows, "variety");
    whatifFor("enterprise", id);
    mark("enterprise", id);
  }
  var current = {kind: null, id: null};
  function open(kind, id) { current = {kind: kind, id: id}; if (kind === "variety") { openVariety(id); } else { openEnterprise(id); } }

  /* ---- what-if (only when served by the service at /ui: it posts to POST /v1/whatif with the page's key) ---- */
  var WHATIF = {suspend: "enterprise suspends for N months 企业停产N个月",
                demand_surge: "demand surge of N% 需求激增N%", api_shortage: "API shortage 原料药短缺"};
  function whatifFor(kind, id) {
    var form = $("whatif");
    form.hidden = !SERVED;
    if (!SERVED) { return; }
    var kinds = kind === "enterprise" ? ["suspend"] : ["demand_surge", "api_shortage"];
    $("wi-kind").innerHTML = kinds.map(function (k) { return '<option value="' + k + '">' + WHATIF[k] + "</option>"; }).join("");
    $("wi-ingredient").value = kind === "variety" ? ((D.varieties[id] || {}).name || "") : "";
    $("wi-key").hidden = !!new URLSearchParams(location.search).get("api_key");
    $("wi-result").innerHTML = "";
    syncWhatif();
  }
  function syncWhatif() {
    var k = $("wi-kind").value;
    $("wi-months").hidden = k !== "suspend"; $("wi-pct").hidden = k !== "demand_surge"; $("wi-ingredient").hidden = k !== "api_shortage";
  }
  function whatifRequest() {
    var k = $("wi-kind").value, body = {month: D.month};
    if (k === "suspend") { body.suspend = current.id; body.months = Number($("wi-months").value); }
    else if (k === "demand_surge") { body.demand_surge = {variety_id: current.id, pct: Number($("wi-pct").value)}; }
    else { body.api_shortage = $("wi-ingredient").value.trim(); }
    return body;
  }
  function whatifTable(answer) {
    var items = (answer.items || []).slice().sort(function (a, b) { return (b.risk_after - b.risk_before) - (a.risk_after - a.risk_before); });
    if (!items.length) { return '<p class="muted">no variety affected 无受影响品种</p>'; }
    var raised = items.filter(function (i) { return severity(i.level_after) > severity(i.level_before); }).length;
    return "<p>" + items.length + " varieties affected, " + raised + " with a higher level 级别上升</p>" +
      '<table id="wi-table"><thead><tr><th>Variety 品种</th><th>Name 通用名</th><th>Risk before → after 风险</th>' +
      "<th>Level before → after 预警</th><th>Drivers after 推演后因素</th></tr></thead><tbody>" + items.map(function (i) {
        var d = Array.isArray(i.drivers_after) ? i.drivers_after.join("; ") : (i.drivers_after || "");
        return '<tr data-variety="' + esc(i.variety_id) + '"><td>' + link("variety", i.variety_id) + "</td><td>" + esc(i.generic_name) + (i.dosage_form ? " (" + esc(i.dosage_form) + ")" : "") +
          '</td><td class="num">' + Number(i.risk_before).toFixed(3) + " → " + Number(i.risk_after).toFixed(3) + "</td><td>" +
          levelBadge(i.level_before) + " → " + levelBadge(i.level_after) + '</td><td class="drivers">' + esc(d) + "</td></tr>";
      }).join("") + "</tbody></table>";
  }
  function runWhatif(ev) {
    ev.preventDefault();
    var key = new URLSearchParams(location.search).get("api_key") || $("wi-key").value;
    var out = $("wi-result");
    out.innerHTML = '<p class="muted">scoring… 推演中</p>';
    fetch(location.pathname.replace(/\/ui$/, "") + "/v1/whatif", {
      method: "POST", body: JSON.stringify(whatifRequest()),
      headers: {"Content-Type": "application/json", "X-API-Key": key, "Accept-Language": state.lang === "zh" ? "zh-CN" : "en"}
    }).then(function (res) {
      return res.json().then(function (body) { return {ok: res.ok, status: res.status, body: body}; });
    }).then(function (r) {
      out.innerHTML = r.ok ? whatifTable(r.body)
        : '<p class="error">what-if failed (' + r.status + "): " + esc(r.body.detail || "") + "</p>";
    }).catch(function (err) { out.innerHTML = '<p class="error">what-if failed: ' + esc(err) + "</p>"; });
  }

  /* ---- wiring ---- */
  document.querySelector("#watchlist thead").addEventListener("click", function (ev) {
    var th = ev.target.closest("th");
    if (!th) { return; }
    var key = th.getAttribute("data-key");
    state.dir = state.key === key ? -state.dir : (key === "risk" || key === "level" || key === "change" || key === "impact" ? -1 : 1);
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
  document.querySelectorAll("#facets select").forEach(function (s) {
    s.addEventListener("change", function () { state.facet[s.getAttribute("data-facet")] = s.value; rerender(); });
  });
  $("reset").addEventListener("click", function () {
    state.facet = {}; state.text = ""; state.level = "all"; state.change = "all";
    document.querySelectorAll("#facets select").forEach(function (s) { s.value = ""; });
    $("filter").value = ""; $("level").value = "all"; $("change").value = "all";
    rerender();
  });
  $("export").addEventListener("click", exportCsv);
  $("more").addEventListener("click", function () { state.limit += D.page_rows; renderTable(); });
  document.querySelectorAll('input[name="entity"]').forEach(function (input) {
    input.addEventListener("change", function (ev) { state.entity = ev.target.value; state.key = "rank"; state.dir = 1; rerender(); });
  });
  document.querySelectorAll("#views button").forEach(function (b) {
    b.addEventListener("click", function () { showView(b.getAttribute("data-view")); });
  });
  $("cmp-a").addEventListener("change", renderCompare);
  $("cmp-b").addEventListener("change", renderCompare);
  $("month-pick").addEventListener("change", function (ev) { pickMonth(ev.target.value); });
  $("lang").addEventListener("change", function (ev) {
    state.lang = ev.target.value;
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    renderTable();
    if (state.view === "shortage") { renderShortage(); }
    if (current.kind) { open(current.kind, current.id); }
  });
  $("wi-kind").addEventListener("change", syncWhatif);
  $("whatif").addEventListener("submit", runWhatif);
  $("close").addEventListener("click", function () {
    clearCharts(); $("detail").hidden = true; document.querySelector("main").classList.remove("detail-open");
    current = {kind: null, id: null};
    history.replaceState(null, "", location.search || "#");
  });
  if (!D.previous_month) { $("change").disabled = true; }

  /* The user's language by default (the browser's), switchable. */
  if ((navigator.language || "").toLowerCase().indexOf("zh") === 0) { state.lang = "zh"; $("lang").value = "zh"; }
  document.querySelector('#views button[data-view="critical"]').hidden = D.criticality === null ||
    D.criticality === undefined;
  fillFacets();
  fillMonths();
  fillCompare();
  summary();
  renderPolicy();
  renderTable();
  var hash = decodeURIComponent(location.hash.slice(1)).split("/");
  if ((hash[0] === "variety" || hash[0] === "enterprise") && hash[1]) { open(hash[0], hash.slice(1).join("/")); }
})();
