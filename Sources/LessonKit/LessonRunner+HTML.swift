// LessonRunner+HTML.swift — the lesson as one self-contained HTML page: text, code, outputs and
// the backprop frames, with previous/next buttons and a slider to scrub through each walk.
//
// Everything is inline (CSS, JS, SVG), so the page works offline and can be mailed or
// put on a course site. Read next: the lessons themselves, in Lessons/.

import Foundation

extension LessonRunner {
    /// Runs every step and writes `<directory>/lesson-NN.html`; returns its path.
    /// With `course`, the page is part of a whole-course export (CourseExport.swift) and links
    /// to its index page and to the lessons before and after it.
    @discardableResult
    public func exportHTML(to directory: String, course: CourseLinks? = nil) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("lesson-\(lesson.paddedID).html")
        try AtomicWrite.write(Data(html(course: course).utf8), to: path)
        return path
    }

    /// The links of a lesson page in a course export: the index page (`index.html`) and the
    /// lessons before and after this one, if any, as `lesson-NN.html` in the same folder.
    public struct CourseLinks: Sendable {
        public var previous: Lesson?
        public var next: Lesson?

        public init(previous: Lesson?, next: Lesson?) {
            self.previous = previous
            self.next = next
        }

        /// A `<nav>` bar: ← previous lesson · all lessons · next lesson →.
        var html: String {
            func link(_ lesson: Lesson, _ text: String, rel: String) -> String {
                "<a rel=\"\(rel)\" href=\"lesson-\(lesson.paddedID).html\">\(text)</a>"
            }
            let parts = [previous.map { link($0, "← \($0.id). \(HTMLText.escape($0.title))", rel: "prev") },
                         "<a rel=\"index\" href=\"index.html\">all lessons</a>",
                         next.map { link($0, "\($0.id). \(HTMLText.escape($0.title)) →", rel: "next") }]
            return "<nav class=\"course\">" + parts.compactMap { $0 }.joined(separator: " · ") + "</nav>\n"
        }
    }

    /// The page's HTML; with `course`, with links to the course's index and neighbours at the
    /// top and the bottom of the page.
    public func html(course: CourseLinks? = nil) -> String {
        let plain = TerminalStyle(width: 100, color: false)
        let navigation = course?.html ?? ""
        var body = navigation
            + "<header><p class=\"kicker\">Lumen · lesson \(lesson.id)</p><h1>\(HTMLText.escape(lesson.title))</h1></header>\n"
        var walkCount = 0
        // Every inlined picture gets its own id prefix (see inlineSVG).
        var pictureCount = 0
        func inline(_ svg: String) -> String {
            pictureCount += 1
            return inlineSVG(svg, idPrefix: "p\(pictureCount)-")
        }
        for index in steps.indices {
            let step = steps[index]
            body += "<section class=\"step\" id=\"step-\(index + 1)\">\n"
            body += "<h2><span class=\"num\">\(index + 1)</span> \(HTMLText.escape(step.title))</h2>\n"
            body += HTMLText.render(step.body) + "\n"
            var lines: [String] = []
            var frames: [any ShownFrame] = []
            func flushLines() {
                if !lines.isEmpty {
                    body += "<pre class=\"output\">" + HTMLText.escape(lines.joined(separator: "\n")) + "</pre>\n"
                    lines = []
                }
            }
            func flushFrames() {
                guard !frames.isEmpty else { return }
                walkCount += 1
                body += player(frames, number: walkCount, style: plain, inline: inline)
                frames = []
            }
            for output in outputs(step: index) {
                switch output {
                case .line(let text):
                    flushFrames(); lines.append(text)
                case .picture(let title, _, _, let svg, let problem):
                    flushLines(); flushFrames()
                    body += "<figure class=\"graph\">" + (svg.map(inline) ?? "<p>(no picture: \(HTMLText.escape(problem ?? "pictures off")))</p>")
                        + "<figcaption>\(HTMLText.escape(title))</figcaption></figure>\n"
                case .frame, .tensorFrame:
                    flushLines(); frames.append(output.frame!)
                }
            }
            flushLines(); flushFrames()
            if !step.afterword.isEmpty { body += HTMLText.render(step.afterword) + "\n" }
            body += "</section>\n"
        }
        body += navigation
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Lesson \(lesson.id): \(HTMLText.escape(lesson.title)) · Lumen</title>
        <script>
        // Any error on this page is written into it, so a headless browser (and a curious reader) can see it.
        window.__errors = [];
        function __report(text) {
          window.__errors.push(String(text));
          var box = document.getElementById("page-errors");
          if (box) { box.hidden = false; box.textContent = window.__errors.join("\\n"); }
        }
        window.addEventListener("error", function (e) { __report(e.message); });
        var __consoleError = console.error;
        console.error = function () { __report(Array.prototype.join.call(arguments, " ")); __consoleError.apply(console, arguments); };
        </script>
        <style>\(Self.css)</style></head>
        <body><main>
        <pre id="page-errors" hidden></pre>
        \(body)
        <pre id="selftest" hidden></pre>
        </main>
        <script>\(Self.script)</script>
        </body></html>

        """
    }

    private func player(_ frames: [any ShownFrame], number: Int, style: TerminalStyle,
                        inline: (String) -> String) -> String {
        FramePlayer.markup(frames.map { frame in
            (explain: frame.lines(style: style).filter { !$0.hasPrefix("  graph: ") }.joined(separator: "\n"),
             figure: frame.svg.map(inline) ?? "<p>(no picture: \(HTMLText.escape(frame.problem ?? "pictures off")))</p>")
        }, id: "walk-\(number)", unit: "step", sliderLabel: "backward step")
    }

    /// An SVG file's text without its XML prolog and doctype, ready to sit inside HTML, with
    /// every id prefixed by `idPrefix` (and every reference to one: href="#…", url(#…)). Inline
    /// SVGs share one document, and Cairo names its glyphs and images the same way in every
    /// file (glyph0-1, image5, …), so without the prefix each plot would borrow the glyphs of
    /// the first one: every title would read like the first plot's.
    func inlineSVG(_ svg: String, idPrefix: String) -> String {
        FramePlayer.inlineSVG(svg, idPrefix: idPrefix)
    }

    static let css = """
    :root { --ink:#1d232b; --muted:#5b6573; --accent:#1c6e8c; --paper:#fbfaf7; --line:#e3e0d8; }
    * { box-sizing: border-box; }
    body { margin:0; background:var(--paper); color:var(--ink); font:17px/1.6 Georgia, "DejaVu Serif", serif; }
    main { max-width: 920px; margin: 0 auto; padding: 32px 24px 80px; }
    header h1 { font-size: 2.1em; margin: 0 0 .4em; line-height:1.2; }
    .kicker { color: var(--accent); font: 600 .8em/1 "DejaVu Sans", sans-serif; letter-spacing:.08em; text-transform:uppercase; margin:0; }
    h2 { font-family:"DejaVu Sans", sans-serif; font-size:1.3em; margin: 2.2em 0 .6em; border-top:1px solid var(--line); padding-top:1em; }
    h2 .num { display:inline-block; min-width:1.7em; height:1.7em; line-height:1.7em; text-align:center; border-radius:50%; background:var(--accent); color:white; font-size:.8em; margin-right:.3em; }
    code, pre { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: .84em; }
    p code, li code { background:#eef3f5; padding:1px 4px; border-radius:3px; }
    pre.code { background:#1e2430; color:#e6edf3; padding:14px 16px; border-radius:8px; overflow-x:auto; }
    pre.output, pre.explain { background:#fff; border:1px solid var(--line); border-left:4px solid var(--accent); padding:10px 14px; border-radius:4px; overflow-x:auto; }
    blockquote { margin:1em 0; padding:.2em 1em; border-left:4px solid #c9a227; background:#fff8e1; }
    figure.graph { margin: 12px 0; background:white; border:1px solid var(--line); border-radius:8px; padding:8px; overflow-x:auto; }
    figure.graph svg { max-width:100%; height:auto; display:block; margin:0 auto; }
    figcaption { color:var(--muted); font-size:.85em; text-align:center; }
    .player { margin: 16px 0; }
    .controls { position: sticky; top: 0; z-index: 1; display:flex; gap:10px; align-items:center; background:var(--paper); padding:8px 0; font-family:"DejaVu Sans", sans-serif; }
    .controls button { font: inherit; padding:4px 12px; border:1px solid var(--accent); background:white; color:var(--accent); border-radius:6px; cursor:pointer; }
    .controls .slider { flex:1; }
    .counter { color:var(--muted); min-width: 8em; text-align:right; }
    nav.course { font:.9em/1.4 "DejaVu Sans", sans-serif; margin: 0 0 1.2em; color:var(--muted); }
    nav.course a { color:var(--accent); }
    .frames { display:grid; }
    .frames > .frame { grid-area: 1 / 1; min-width: 0; }
    .frames > .frame.off { visibility: hidden; }
    #page-errors { background:#ffe3e3; color:#8a1c1c; padding:10px; }
    """

    static let script = """
    (function () {
      var active = null;
      function setup(player) {
        var frames = player.querySelectorAll(".frame");
        var slider = player.querySelector(".slider");
        var counter = player.querySelector(".counter");
        function show(i) {
          i = Math.max(1, Math.min(frames.length, i));
          frames.forEach(function (f) {
            var on = Number(f.dataset.index) === i;
            f.classList.toggle("off", !on);
            if (on) { f.removeAttribute("aria-hidden"); } else { f.setAttribute("aria-hidden", "true"); }
          });
          slider.value = String(i);
          counter.textContent = (player.dataset.unit || "step") + " " + i + " of " + frames.length;
          player.dataset.current = String(i);
        }
        player.step = function (delta) { show(Number(slider.value) + delta); };
        slider.addEventListener("input", function () { active = player; show(Number(slider.value)); });
        player.querySelector(".prev").addEventListener("click", function () { active = player; player.step(-1); });
        player.querySelector(".next").addEventListener("click", function () { active = player; player.step(1); });
        player.addEventListener("pointerdown", function () { active = player; });
        show(1);
      }
      var players = document.querySelectorAll(".player");
      players.forEach(setup);
      // The player the arrow keys move: the one last used, else the first one on screen.
      function current() {
        if (active) { return active; }
        for (var k = 0; k < players.length; k++) {
          var box = players[k].getBoundingClientRect();
          if (box.bottom > 0 && box.top < window.innerHeight) { return players[k]; }
        }
        return players[0] || null;
      }
      // ← and → step anywhere on the page; on the slider itself the browser already does.
      document.addEventListener("keydown", function (e) {
        if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") { return; }
        if (e.altKey || e.ctrlKey || e.metaKey) { return; }
        var tag = e.target && e.target.tagName;
        if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
        var player = current();
        if (!player) { return; }
        player.step(e.key === "ArrowRight" ? 1 : -1);
        e.preventDefault();
      });
      function visible(p) { var f = p.querySelector(".frame:not(.off)"); return f ? f.dataset.index : "none"; }
      // #selftest: move the first slider to its end as a user would, press ← and → on the
      // page, compare the frames' boxes, and report what was seen.
      if (location.hash === "#selftest" && players.length > 0) {
        var p = players[0], s = p.querySelector(".slider");
        var before = visible(p);
        s.value = s.max;
        s.dispatchEvent(new Event("input"));
        var after = visible(p);
        document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true }));
        var left = visible(p);
        document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
        var right = visible(p);
        var boxes = Array.prototype.map.call(p.querySelectorAll(".frame"), function (f) {
          var r = f.getBoundingClientRect(); return Math.round(r.width) + "x" + Math.round(r.height);
        });
        var same = boxes.every(function (b) { return b === boxes[0]; });
        var out = document.getElementById("selftest");
        out.hidden = false;
        out.textContent = "selftest before=" + before + " after=" + after + " max=" + s.max + " svgs=" + document.querySelectorAll("svg").length
          + " left=" + left + " right=" + right + " frames=" + (same ? "equal" : "unequal:" + boxes.join(","));
      }
      // #walk: show only the first backprop walk (for screenshots and slides).
      if (location.hash === "#walk" && players.length > 0) {
        var keep = players[0];
        document.querySelectorAll("main > *").forEach(function (el) { if (!el.contains(keep)) el.hidden = true; });
        Array.prototype.forEach.call(keep.parentNode.children, function (el) { if (el !== keep) el.hidden = true; });
      }
    })();
    """
}
