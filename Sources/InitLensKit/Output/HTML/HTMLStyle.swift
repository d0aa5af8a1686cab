/// The report's only style sheet, inlined in the page: system fonts, light borders, severity colours
/// as in the text report (critical and error red, warning amber, info cyan). Nothing is loaded.
enum HTMLStyle {
  static let css = """
    :root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--panel:#f9fafb;--page:#f3f4f6;
    --critical:#991b1b;--error:#dc2626;--warning:#d97706;--info:#0891b2;--ok:#15803d;--stage:#7186a8;--step:#334e7a}
    *{box-sizing:border-box}
    html{color-scheme:light}
    body{margin:0;background:var(--page);color:var(--fg);
    font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
    main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}
    a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
    code,.mono,.ev{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
    code{background:#eef0f3;border-radius:3px;padding:0 3px;overflow-wrap:anywhere}
    h1{font-size:24px;margin:0;letter-spacing:-.01em}h1 small{font-weight:400;color:var(--muted);font-size:16px}
    h2{font-size:19px;margin:32px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
    h2 small,h3 small{font-weight:400;color:var(--muted);font-size:13px}.family{color:var(--muted)}
    h3{font-size:15px;margin:22px 0 8px}
    h4{font-size:14px;margin:16px 0 6px}
    p{margin:6px 0}
    .muted{color:var(--muted)}
    .none{color:var(--muted);font-style:italic}
    header.top{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px}
    .tiles{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0 10px}
    .tile{border:1px solid var(--line);border-radius:8px;padding:6px 14px 8px;min-width:104px;background:var(--panel)}
    .tile b{display:block;font-size:24px;line-height:1.25;font-variant-numeric:tabular-nums}
    .tile span{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.05em}
    .tile.bad b{color:var(--error)}.tile.good b{color:var(--ok)}
    .tile.sevs{display:flex;align-items:center;gap:6px;flex-wrap:wrap}
    .tile .sev{color:#fff;font-size:12px;letter-spacing:.03em;line-height:20px}
    .lines{font-variant-numeric:tabular-nums}
    .alert{border-left:4px solid var(--error);background:#fef2f2;padding:6px 10px;margin:6px 0;border-radius:4px}
    .alert.warn{border-color:var(--warning);background:#fffbeb}
    table{border-collapse:collapse;width:100%;background:#fff;font-size:13px;margin:4px 0 8px}
    th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
    th{background:var(--panel);font-weight:600;font-size:12px;color:#374151;white-space:nowrap}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    td.nw{white-space:nowrap}
    tr.s-critical>td:first-child{box-shadow:inset 4px 0 var(--critical)}
    tr.s-error>td:first-child{box-shadow:inset 4px 0 var(--error)}
    tr.s-warning>td:first-child{box-shadow:inset 4px 0 var(--warning)}
    tr.s-info>td:first-child{box-shadow:inset 4px 0 var(--info)}
    .sev{display:inline-block;padding:0 7px;border-radius:9px;font-size:11px;font-weight:700;
    text-transform:uppercase;letter-spacing:.03em;color:#fff;line-height:18px;white-space:nowrap}
    .sev-critical{background:var(--critical)}.sev-error{background:var(--error)}
    .sev-warning{background:var(--warning)}.sev-info{background:var(--info)}
    .sev-none{background:#9ca3af}.sev-ok{background:var(--ok)}
    .chip{display:inline-block;background:#eef2f7;border:1px solid #dde3ec;border-radius:10px;padding:0 7px;
    margin:1px 2px 1px 0;font-size:12px;white-space:nowrap}
    .chip b{font-weight:600}
    .gid{font-weight:600}
    .kind code{white-space:nowrap}
    .gtitle{color:#4b5563;font-size:12.5px}
    details>summary{cursor:pointer}
    details.hosts summary,details.more summary{color:#1d4ed8;font-size:12px}
    details.hosts div{font-size:12px;margin-top:3px}
    .bar{display:inline-block;width:90px;height:8px;background:#e5e7eb;border-radius:4px;vertical-align:middle;
    overflow:hidden;margin-left:6px}
    .bar i{display:block;height:100%;background:var(--error)}
    figure{margin:8px 0 4px}
    figure.panel-fig{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 16px 10px;margin:0}
    figcaption{color:var(--muted);font-size:12px;margin-top:2px}
    svg{height:auto;display:block}
    .chart{overflow-x:auto;max-width:100%}
    svg.overtime,svg.gantt,svg.boottime{width:100%;min-width:720px}
    svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:13px;fill:#374151}
    svg .axis text{fill:#6b7280;font-size:13px}
    svg .grid{stroke:#e5e7eb;stroke-width:1}
    svg .base{stroke:#9ca3af;stroke-width:1}
    svg .lbl-inc{fill:#111827}
    svg .tail{fill:#6b7280;font-size:13px}
    svg .st{fill:var(--stage)}svg .st.WARN{fill:var(--warning)}svg .st.FAIL{fill:var(--error)}
    svg .st.open{fill:#cbd5e1;stroke:var(--stage);stroke-dasharray:4 3}
    svg .step{fill:var(--step)}svg .step.FAIL{fill:#7f1d1d}svg .step.WARN{fill:#92400e}
    svg .mk{stroke:#fff;stroke-width:1.2}
    svg .f-critical{fill:var(--critical)}svg .f-error{fill:var(--error)}
    svg .f-warning{fill:var(--warning)}svg .f-info{fill:var(--info)}
    svg .g-critical{stroke:var(--critical)}svg .g-error{stroke:var(--error)}
    svg .g-warning{stroke:var(--warning)}svg .g-info{stroke:var(--info)}
    svg .guide{stroke-width:1;stroke-dasharray:3 3;opacity:.55}
    svg .rng{stroke-width:2.5;opacity:.6}
    svg .sep{stroke:#e5e7eb;stroke-width:1}
    svg .gap{stroke:#9ca3af;stroke-dasharray:2 3}
    svg .ev-mk{fill:#9ca3af;stroke:#fff;stroke-width:1}
    svg .tot{fill:#374151;font-size:13px;font-weight:600}
    .legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px}
    .legend li{display:flex;align-items:center;gap:5px}
    .sw{display:inline-block;width:11px;height:11px;border-radius:2px}
    .sw.st{background:var(--stage)}.sw.step{background:var(--step)}.sw.open{background:#cbd5e1}
    .sw.mk{transform:rotate(45deg);width:9px;height:9px}
    .sw.evt{background:#9ca3af;border-radius:50%}
    .sw.critical{background:var(--critical)}.sw.error{background:var(--error)}
    .sw.warning{background:var(--warning)}.sw.info{background:var(--info)}
    .panel{background:#fff;border:1px solid var(--line);border-radius:10px;padding:6px 18px 14px}
    details.host{background:#fff;border:1px solid var(--line);border-radius:10px;margin:16px 0}
    details.host.sl-critical{border-left:5px solid var(--critical)}details.host.sl-error{border-left:5px solid var(--error)}
    details.host.sl-warning{border-left:5px solid var(--warning)}details.host.sl-info{border-left:5px solid var(--info)}
    details.host.sl-ok{border-left:5px solid var(--ok)}
    details.host>summary{padding:10px 16px;display:flex;align-items:center;gap:8px 10px;flex-wrap:wrap;list-style:none}
    details.host>summary::-webkit-details-marker{display:none}
    details.host>summary::before{content:"";width:0;height:0;border-style:solid;border-width:5px 0 5px 8px;
    border-color:transparent transparent transparent #6b7280;margin-right:2px}
    details.host[open]>summary::before{transform:rotate(90deg)}
    details.host[open]>summary{border-bottom:1px solid var(--line)}
    .hname{font-size:16px;font-weight:700;overflow-wrap:anywhere}
    .hmeta{color:var(--muted);font-size:12.5px}
    .hostbody{padding:2px 18px 14px}
    .boot{margin-top:10px}
    .boot+.boot{border-top:1px dashed var(--line);padding-top:10px}
    .boothead{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px}
    .boothead h3{margin:8px 0 4px}
    .facts{margin:4px 0}
    .rc{border:1px solid #fecaca;border-left:5px solid var(--error);background:#fef2f2;border-radius:8px;
    padding:10px 16px 12px;margin:12px 0}
    .rc.rc-critical{border-color:#fca5a5;border-left-color:var(--critical)}
    .rc.rc-warning{border-color:#fde68a;border-left-color:var(--warning);background:#fffbeb}
    .rc.rc-info{border-color:#a5f3fc;border-left-color:var(--info);background:#ecfeff}
    .rc-head{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
    .rc-tag{font-size:11px;font-weight:800;letter-spacing:.08em;text-transform:uppercase;color:var(--critical)}
    .rc h4{font-size:16px;margin:6px 0 4px}
    .rc .summary{font-weight:500}
    .rc ol{margin:4px 0 6px;padding-left:22px}.rc li{margin:3px 0}
    .rc h5{margin:10px 0 2px;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#4b5563}
    .chain{display:flex;flex-wrap:wrap;align-items:center;gap:4px}
    .chain .arrow{color:var(--muted)}
    .ev{background:#111827;color:#e5e7eb;border-radius:6px;padding:6px 10px;overflow-x:auto;margin:4px 0;font-size:12px}
    .ev div{white-space:pre;line-height:1.45}
    .ev .loc{color:#93c5fd}
    .ev .txt{padding-left:14px;margin-bottom:3px}
    .refs{font-size:12.5px;color:#374151}
    .refs span,.refs a{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
    .tw{overflow-x:auto;max-width:100%}
    table.unmatched td{overflow-wrap:anywhere}table.unmatched td:first-child{min-width:14em}
    tr.incd-row>td{border-top:none;padding:0 8px 4px 14px;background:#fcfcfd}
    tr.incd-row summary{color:#6b7280;font-size:12px}
    table.incidents td,table.groups td{overflow-wrap:anywhere}
    table.timeline{font-size:12.5px}
    table.timeline td{overflow-wrap:anywhere;padding:3px 7px}
    table.timeline td:nth-child(-n+3),table.timeline td:nth-child(5){
    font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
    table.timeline td:nth-child(-n+2){white-space:nowrap}
    .incd{padding:2px 0 4px;font-size:13px}
    .incd p{margin:4px 0}
    details.timeline{margin-top:10px}
    details.timeline>summary{font-weight:600}
    tr.d td{color:#6b7280}
    tr.b td{font-weight:600}
    svg .minor{stroke:#f1f2f4}svg .bt-name{fill:#111827;font-weight:600}
    svg .bt-whisker{stroke:#9ca3af;stroke-width:2}svg .bt-box{fill:var(--stage)}svg .whole .bt-box{fill:var(--step)}
    svg .bt-p50{stroke:#111827;stroke-width:2.5}svg .bt-p99{stroke:#374151;stroke-width:2}
    svg .bt-dot{fill:#fff;stroke:var(--step);stroke-width:2}svg .bt-dot.out{fill:var(--warning);stroke:#fff}
    svg a:hover .bt-dot{stroke:#111827;stroke-width:2.5}
    .sw.bt-box{background:var(--stage)}.sw.bt-p99{width:3px;background:#374151}
    .sw.bt-dot{background:#fff;border:2px solid var(--step)}.sw.out{background:var(--warning);border-radius:50%}
    .sw.bt-limit{width:0;border-left:2px dashed var(--warning);border-radius:0}
    table.boottime td.slowest{overflow-wrap:anywhere}
    .healthy-line{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
    \(groups)
    \(narrow)
    """

  /// A fleet's root-cause groups: collapsed, the explanation once, the hosts' reports inside.
  static let groups = """
    details.rcg{background:#fff;border:1px solid var(--line);border-left:5px solid var(--error);border-radius:10px;
    margin:10px 0}
    details.rcg.s-critical{border-left-color:var(--critical)}details.rcg.s-warning{border-left-color:var(--warning)}
    details.rcg.s-info{border-left-color:var(--info)}details.rcg.s-none{border-left-color:#9ca3af}
    details.rcg>summary{padding:10px 14px;display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px}
    details.rcg>summary{list-style:none}details.rcg>summary::-webkit-details-marker{display:none}
    details.rcg>summary::before{content:"";width:0;height:0;border-style:solid;border-width:5px 0 5px 8px;
    border-color:transparent transparent transparent #6b7280}
    details.rcg[open]>summary::before{transform:rotate(90deg)}
    details.rcg[open]>summary{border-bottom:1px solid var(--line)}
    .nw{white-space:nowrap}
    .rcg-title{font-weight:600}
    .stat{color:var(--muted);font-size:12.5px;font-variant-numeric:tabular-nums}
    .rcg-body{padding:4px 16px 12px}
    .rcg-body h5{margin:12px 0 2px;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#4b5563}
    .rcg-body ol{margin:4px 0 6px;padding-left:22px}.rcg-body li{margin:3px 0}
    .rcg-body details.host{margin:6px 0;border-radius:8px}
    .hostlink{padding:6px 14px;border:1px dashed #d1d5db;border-radius:8px;margin:6px 0;font-size:13px}
    .hostbody,.rcg-body{scroll-margin-top:7em}
    .tile em{display:block;font-style:normal;color:var(--muted);font-size:11px}
    .hostlist{display:flex;flex-wrap:wrap;gap:2px 12px;font-size:13px;margin:6px 0}
    """

  /// Narrow windows: less padding (a chart's 720 px fit in 800); phones: tables whose rows become small blocks.
  static let narrow = """
    @media (max-width:900px){
    main{padding:12px 12px 32px}header.top{padding:12px}
    details.host>summary,details.rcg>summary{padding:8px 10px}
    .hostbody,.rcg-body{padding:2px 8px 10px}.rc{padding:8px 10px 10px}
    }
    @media (max-width:700px){
    main{padding:12px 8px 32px}
    .tile{min-width:0;padding:4px 10px 6px}.tile b{font-size:20px}
    .chip{white-space:normal;overflow-wrap:anywhere}
    table.rf,table.rf>tbody,table.rf>tbody>tr,table.rf>tbody>tr>td{display:block;width:auto}
    table.rf>thead{display:none}
    table.rf>tbody>tr{border-top:1px solid var(--line);padding:6px 8px}
    table.rf>tbody>tr>td{border:none;padding:1px 0;box-shadow:none!important}
    table.rf>tbody>tr>td.il,table.timeline>tbody>tr>td:nth-child(-n+3){display:inline-block;margin-right:10px}
    table.rf td.num{text-align:left}
    table.rf td[data-l]::before{content:attr(data-l) ": ";color:var(--muted);font-size:11px}
    table.rf>tbody>tr.incd-row{border-top:none;padding:0 8px 6px 14px}
    table.rf>tbody>tr.s-critical{box-shadow:inset 4px 0 var(--critical)}
    table.rf>tbody>tr.s-error{box-shadow:inset 4px 0 var(--error)}
    table.rf>tbody>tr.s-warning{box-shadow:inset 4px 0 var(--warning)}
    table.rf>tbody>tr.s-info{box-shadow:inset 4px 0 var(--info)}
    }
    """
}
