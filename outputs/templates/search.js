// The site's search (search/index.html), run in the reader's browser, narrowed down to a
// kind, topic or city if chosen. The index comes in
// blocks, search/items-<n>.js, each calling searchIndex.add(n, items) with its items
// oldest first; an item is [url, title, date ("" when undated), language, summary start,
// kind, topics, places, authors, event: [] or [machine time, text, place, place's link,
// status]] (outputs/listing.py). Loaded as scripts, not fetched, so that the search works
// in a site opened from the disk too (browsers fetch nothing from file: pages).
"use strict";
var searchIndex = {
  blocks: {},
  add: function (number, items) { this.blocks[number] = items; }
};

(function () {
  var PAGE = 50; // results shown at a time
  var data = JSON.parse(document.getElementById("search-data").textContent);
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var choices = {}; // facet → its <select>, for the kinds, topics and cities offered
  ["kind", "topic", "place"].forEach(function (facet) {
    var select = document.getElementById("only-" + facet);
    if (select) choices[facet] = select;
  });
  var records = null;
  var loading = null;
  var matches = [];
  var wanted = []; // the words of the query shown, in their one form: each in its spellings
  var shown = 0;
  var timer = null;

  // Text in the one form searches compare, as config/forms.py's searchable(): full- and
  // half-width alike (NFKC), Latin letters without accents or tone marks (Hà Nội is
  // Ha Noi, Đà Nẵng Da Nang), kana with their voicing marks (ガイト is not ガイド), any case.
  var ACCENTED = /[\u00c0-\u024f\u1e00-\u1eff]/;
  var UNACCENTED = { "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ħ": "h", "Ħ": "H" };
  function fold(text) {
    var form = text.normalize("NFKC");
    if (ACCENTED.test(form)) {
      form = form.normalize("NFD").replace(/[\u0300-\u036f]+/g, "")
        .replace(/[đĐøØłŁħĦ]/g, function (letter) { return UNACCENTED[letter]; })
        .normalize("NFC");
    }
    return form.toLowerCase().replace(/ß/g, "ss");
  }

  // A term's label, then its other words (its Japanese label, its aliases).
  function words(facet, slug) {
    return (data.labels[facet] || {})[slug] || [slug];
  }

  function label(facet, slug) {
    return words(facet, slug)[0];
  }

  function load() {
    if (loading) return loading;
    loading = Promise.all(data.blocks.map(function (block) {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = block.path + "?v=" + block.version;
        script.onload = resolve;
        script.onerror = function () { reject(new Error(block.path)); };
        document.head.appendChild(script);
      });
    })).then(function () {
      var found = [];
      data.blocks.forEach(function (block, index) {
        (searchIndex.blocks[index + 1] || []).forEach(function (row) {
          var text = [row[1], row[4], row[2], row[8]].concat(words("kind", row[5]));
          row[6].forEach(function (t) { text = text.concat(words("topic", t)); });
          row[7].forEach(function (p) { text = text.concat(words("place", p)); });
          found.push({ row: row, title: fold(row[1]), text: fold(text.join("\n")) });
        });
      });
      // Newest first: blocks hold items in the order they were found, which is the
      // order of their dates but for items found late.
      records = found.reverse().sort(function (a, b) {
        return a.row[2] < b.row[2] ? 1 : a.row[2] > b.row[2] ? -1 : 0;
      });
    });
    return loading;
  }

  // A word, and when it has hiragana the same in katakana, as config/forms.py's
  // spellings(): Japanese writes some words either way (ごみ and ゴミ), so hiragana finds
  // both; not the other way round (hiragana also writes the grammar: バス, a bus, is not
  // in 伸ばす).
  function spellings(term) {
    var katakana = term.replace(/[\u3041-\u3096]/g, function (kana) {
      return String.fromCharCode(kana.charCodeAt(0) + 0x60);
    });
    return katakana === term ? [term] : [term, katakana];
  }

  // Whether ``text`` has one of a word's spellings.
  function has(text, forms) {
    return forms.some(function (form) { return text.indexOf(form) >= 0; });
  }

  // Words, and "phrases in quotes", each of which must be found: each in its spellings.
  function terms(query) {
    var found = [];
    var pattern = /"([^"]+)"|(\S+)/g;
    var match;
    var folded = fold(query).replace(/[\u201c\u201d\u300c\u300d]/g, '"');
    while ((match = pattern.exec(folded)) !== null) {
      found.push((match[1] || match[2]).trim());
    }
    return found.filter(function (term) { return term.length > 0; }).map(spellings);
  }

  // The kind, topic and city chosen: [facet, slug] pairs.
  function chosen() {
    return Object.keys(choices).filter(function (facet) { return choices[facet].value; })
      .map(function (facet) { return [facet, choices[facet].value]; });
  }

  // Whether an item is of every term chosen.
  function within(row, only) {
    return only.every(function (pair) {
      if (pair[0] === "kind") return row[5] === pair[1];
      return (pair[0] === "topic" ? row[6] : row[7]).indexOf(pair[1]) >= 0;
    });
  }

  // The script's own words, in the pages' language (outputs/pages.py: page_language):
  // Japanese on a site whose language is Japanese, else English.
  var SAY = /^ja(-|$)/i.test(data.language) ? {
    undated: "日付なし", when: "日時：", by: "著者：", named: "：", and: "、",
    // An event's status (outputs/document.py: EVENT_WORDS).
    statuses: { cancelled: "中止", postponed: "延期", rescheduled: "日程変更",
      "moved online": "オンライン開催に変更" },
    loading: "索引を読み込んでいます\u2026",
    more: function (n) { return "さらに" + n + "件を表示"; },
    // What was asked: 「words」（都市：神戸、種類：ツールキット）.
    asked: function (words, named) {
      return words ? "\u300c" + words + "\u300d" + (named ? "（" + named + "）" : "") : named;
    },
    found: function (n, what, ranked) {
      return what + (ranked ? "に一致する資料：" : "の資料：") + n + "件（" +
        (ranked ? "一致度順" : "新しい順") + "）。";
    },
    none: function (what, ranked) {
      return what + (ranked ? "に一致する資料はありません。" : "の資料はありません。") +
        "語を減らすか短くする、別の条件を選ぶ、または資料のラベルからトピック・都市・種類ごとにたどってください。";
    },
    failed: function (path) {
      return "検索の索引を読み込めませんでした（" + path + "）。資料のラベルからトピック・" +
        "都市・種類ごとにたどるか、後でもう一度お試しください。";
    }
  } : {
    undated: "undated", when: "When: ", by: "By ", named: ": ", and: ", ", statuses: {},
    loading: "Loading the index\u2026",
    more: function (n) { return "Show " + n + " more"; },
    // What was asked: “words” with City: Kobe, Kind: Toolkit.
    asked: function (words, named) {
      var quoted = words ? "\u201c" + words + "\u201d" : "";
      return quoted && named ? quoted + " with " + named : quoted || "with " + named;
    },
    found: function (n, what, ranked) {
      return (n === 1 ? "1 material " : n + " materials ") + (ranked ? (n === 1 ? "matches " :
        "match ") : "") + what + (ranked ? ", best first." : ", newest first.");
    },
    none: function (what, ranked) {
      return "Nothing " + (ranked ? "matches " : "") + what + ". Try fewer or shorter words " +
        "or another choice, or browse by topic, city or kind from a material's labels.";
    },
    failed: function (path) {
      return "The search index could not be loaded (" + path + "). Browse by topic, city " +
        "or kind from a material's labels, or try again later.";
    }
  };

  // What was asked, as the status says it.
  function asked(query, only) {
    var named = only.map(function (pair) {
      var name = choices[pair[0]].parentNode.firstChild.textContent.trim();
      return name + SAY.named + label(pair[0], pair[1]);
    }).join(SAY.and);
    return SAY.asked(query.trim(), named);
  }

  function search(query) {
    wanted = terms(query);
    var only = chosen();
    if (!wanted.length && !only.length) {
      matches = [];
    } else {
      matches = records.filter(function (record) {
        return within(record.row, only) &&
          wanted.every(function (forms) { return has(record.text, forms); });
      }).map(function (record, place) {
        var score = 0;
        wanted.forEach(function (forms) { if (has(record.title, forms)) score += 1; });
        return { record: record, score: score, place: place };
      });
      // Most words in the title first, then newest first (the order they are in).
      matches.sort(function (a, b) { return b.score - a.score || a.place - b.place; });
    }
    list.textContent = "";
    shown = 0;
    showMore();
    if (!wanted.length && !only.length) {
      status.textContent = "";
    } else if (!matches.length) {
      status.textContent = SAY.none(asked(query, only), wanted.length > 0);
    } else {
      status.textContent = SAY.found(matches.length, asked(query, only), wanted.length > 0);
    }
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  // ``text`` with the query's words in <mark>: each character is put in its one form on
  // its own, so that a match there points back to the characters it came from (a word
  // the one form of the whole text finds but not of its characters, rare, is not marked).
  function marked(text) {
    var folded = "";
    var origin = [];
    for (var i = 0; i < text.length;) {
      var character = String.fromCodePoint(text.codePointAt(i));
      var form = fold(character);
      for (var k = 0; k < form.length; k++) origin.push(i);
      folded += form;
      i += character.length;
    }
    origin.push(text.length);
    var spans = [];
    wanted.forEach(function (forms) {
      forms.forEach(function (term) {
        for (var at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
          spans.push([origin[at], origin[at + term.length]]);
        }
      });
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var fragment = document.createDocumentFragment();
    var done = 0;
    spans.forEach(function (span) {
      if (span[1] <= done) return;
      var start = Math.max(span[0], done);
      if (start > done) fragment.appendChild(document.createTextNode(text.slice(done, start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, span[1]);
      fragment.appendChild(mark);
      done = span[1];
    });
    if (done < text.length) fragment.appendChild(document.createTextNode(text.slice(done)));
    return fragment;
  }

  // The direction of an item's text, as the pages set it (outputs/pages.py: text_dir):
  // "rtl" in a language written right to left, "auto" for right-to-left letters in
  // another, else none.
  // (A page a browser kept from before it named them has none: the results stay as set.)
  var RTL = data.rtl || { languages: [], scripts: [], letters: "" };
  var RTL_LETTER = RTL.letters ? new RegExp("[" + RTL.letters + "]", "u") : null;
  function direction(element, lang, text) {
    var parts = lang.split("-");
    var script = parts.length > 1 && parts[1].length === 4;
    var rtl = script
      ? RTL.scripts.indexOf(parts[1].charAt(0).toUpperCase() + parts[1].slice(1).toLowerCase()) >= 0
      : RTL.languages.indexOf(parts[0].toLowerCase()) >= 0;
    if (rtl) element.dir = "rtl";
    else if (RTL_LETTER && RTL_LETTER.test(text)) element.dir = "auto";
  }

  function item(row) {
    var li = document.createElement("li");
    var lang = row[3] || data.language;
    var heading = document.createElement("h3");
    heading.lang = lang;
    direction(heading, lang, row[1]);
    if (/^https?:\/\//i.test(row[0])) {
      var title = document.createElement("a");
      title.href = row[0];
      title.appendChild(marked(row[1]));
      heading.appendChild(title);
    } else {
      heading.appendChild(marked(row[1]));
    }
    li.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "meta";
    if (row[2]) {
      var time = document.createElement("time");
      time.dateTime = row[2];
      time.textContent = row[2];
      meta.appendChild(time);
    } else {
      meta.appendChild(document.createTextNode(SAY.undated));
    }
    meta.appendChild(document.createTextNode(" \u00b7 "));
    meta.appendChild(link("../kind/" + row[5] + "/index.html", label("kind", row[5])));
    [["place", row[7]], ["topic", row[6]]].forEach(function (pair) {
      pair[1].forEach(function (slug, index) {
        meta.appendChild(document.createTextNode(index ? ", " : " \u00b7 "));
        meta.appendChild(link("../" + pair[0] + "/" + slug + "/index.html", label(pair[0], slug)));
      });
    });
    li.appendChild(meta);
    if (row[9] && row[9].length) { // when and where an event happens, as the pages say it
      var event = row[9];
      var when = document.createElement("p");
      var at = document.createElement("time");
      when.className = "meta";
      at.dateTime = event[0];
      at.textContent = event[1];
      when.appendChild(document.createTextNode(SAY.when));
      when.appendChild(at);
      if (event[2]) {
        when.appendChild(document.createTextNode(" \u00b7 "));
        when.appendChild(event[3] ? link(event[3], event[2]) : document.createTextNode(event[2]));
      }
      if (event[4]) {
        var state = document.createElement("strong");
        state.textContent = SAY.statuses[event[4]] || event[4];
        when.appendChild(document.createTextNode(" \u00b7 "));
        when.appendChild(state);
      }
      li.appendChild(when);
    }
    if (row[8]) {
      var authors = document.createElement("p");
      var names = document.createElement("span");
      authors.className = "meta";
      names.lang = lang;
      direction(names, lang, row[8]);
      names.appendChild(marked(row[8]));
      authors.appendChild(document.createTextNode(SAY.by));
      authors.appendChild(names);
      li.appendChild(authors);
    }
    if (row[4]) {
      var summary = document.createElement("p");
      summary.className = "summary";
      summary.lang = lang;
      direction(summary, lang, row[4]);
      summary.appendChild(marked(row[4]));
      li.appendChild(summary);
    }
    return li;
  }

  function showMore() {
    var end = Math.min(shown + PAGE, matches.length);
    var first = null;
    for (var i = shown; i < end; i++) {
      var li = item(matches[i].record.row);
      list.appendChild(li);
      if (first === null) first = li;
    }
    shown = end;
    more.hidden = shown >= matches.length;
    more.textContent = SAY.more(Math.min(PAGE, matches.length - shown));
    return first;
  }

  function run(query, remember) {
    if (remember && window.history && window.history.replaceState) {
      var parts = query.trim() ? ["q=" + encodeURIComponent(query.trim())] : [];
      chosen().forEach(function (pair) { parts.push(pair[0] + "=" + encodeURIComponent(pair[1])); });
      var address = parts.length ? "?" + parts.join("&") : window.location.pathname;
      window.history.replaceState(null, "", address);
    }
    if (records) {
      search(query);
      return;
    }
    status.textContent = SAY.loading;
    load().then(function () { search(input.value); }, function (error) {
      loading = null;
      status.textContent = SAY.failed(error.message);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run(input.value, true);
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(input.value, true); }, 250);
  });
  input.addEventListener("focus", function () { load().catch(function () {}); });
  more.addEventListener("click", function () {
    var first = showMore();
    if (first) {
      var anchor = first.querySelector("a");
      if (anchor) anchor.focus();
    }
  });
  Object.keys(choices).forEach(function (facet) {
    choices[facet].addEventListener("change", function () { run(input.value, true); });
  });
  // An address with words or choices (?q=drainage&place=kobe) searches at once.
  var given = new URLSearchParams(window.location.search);
  Object.keys(choices).forEach(function (facet) {
    var slug = given.get(facet) || "";
    choices[facet].value = slug;
    if (choices[facet].value !== slug) choices[facet].value = ""; // a term not offered
  });
  input.value = given.get("q") || "";
  if (input.value || chosen().length) run(input.value, false);
})();
