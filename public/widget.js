/*
 * Com.In.4.0 knowledge base widget. On a partner page:
 *   <script src="https://<kb>/widget.js" data-type="good-practices" data-theme="<theme slug>"
 *           data-locale="en" data-limit="5" async></script>
 * renders, where the tag is, a list of published records (in a shadow DOM, so that the page's
 * styles and the widget's stay apart) that link to their pages in the knowledge base explorer.
 * Optional: data-territory="<territory slug>" (that territory or any inside it).
 */
(function () {
  'use strict';

  var TYPES = {
    'good-practices': {
      query: 'goodPractices',
      filters: 'GoodPracticeFiltersInput',
      text: 'summary',
      date: 'startDate',
      territory: function (slug) {
        return { territories: { within: slug } };
      },
    },
    trainings: {
      query: 'trainings',
      filters: 'TrainingFiltersInput',
      text: 'description',
      date: 'startDate',
      territory: function (slug) {
        return { territory: { within: slug } };
      },
    },
    'thematic-tables': {
      query: 'thematicTables',
      filters: 'ThematicTableFiltersInput',
      text: 'scope',
      territory: function (slug) {
        return { event: { territory: { within: slug } } };
      },
    },
    events: {
      query: 'events',
      filters: 'EventFiltersInput',
      text: 'description',
      date: 'startDate',
      territory: function (slug) {
        return { territory: { within: slug } };
      },
    },
  };
  var WORDS = {
    it: {
      heading: {
        'good-practices': 'Buone pratiche',
        trainings: 'Incontri formativi',
        'thematic-tables': 'Tavoli tematici',
        events: 'Eventi',
      },
      source: 'dalla banca dati Com.In.4.0',
      loading: 'Caricamento…',
      empty: 'Ancora nessuna voce pubblicata qui.',
      failed: 'La banca dati Com.In.4.0 non è raggiungibile in questo momento.',
      more: 'Tutte le voci nella banca dati',
      inferred: 'dedotto',
      inferredBy: 'Valore dedotto dalla redazione',
    },
    en: {
      heading: { 'good-practices': 'Good practices', trainings: 'Trainings', 'thematic-tables': 'Thematic tables', events: 'Events' },
      source: 'from the Com.In.4.0 knowledge base',
      loading: 'Loading…',
      empty: 'No published records here yet.',
      failed: 'The Com.In.4.0 knowledge base cannot be reached at the moment.',
      more: 'All records in the knowledge base',
      inferred: 'inferred',
      inferredBy: 'Value inferred by the editors',
    },
  };
  var MAX_LIMIT = 20;
  var STYLE =
    ':host{all:initial;display:block;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;line-height:1.45;color:#1b1f24}' +
    '.kb{border:1px solid #c9d1db;border-radius:6px;padding:.75rem 1rem;background:#fff;max-width:40rem}' +
    'h2{font-size:1.1rem;margin:0}.from{margin:0 0 .5rem;color:#4a5360;font-size:.85rem}' +
    'ul{list-style:none;margin:0;padding:0}li{padding:.5rem 0;border-top:1px solid #e3e8ee}' +
    'a{color:#0b5394;text-underline-offset:.15em}a:hover{color:#083a69}a:focus-visible{outline:3px solid #b35c00;outline-offset:2px}' +
    '.title{font-weight:600}p{margin:.2rem 0 0;font-size:.95rem}.more{margin-top:.5rem}' +
    '.problem{color:#a3261b}.when{color:#4a5360;font-size:.85rem}' +
    '.inferred{display:inline-block;margin-left:.3em;padding:0 .35em;border:1px dashed #b35c00;border-radius:3px;font-style:italic;color:#1b1f24}';
  // English as in the United Kingdom ("26 September 2022"); a date-time is the day at the venue, in Italy.
  var DATE_LOCALES = { it: 'it-IT', en: 'en-GB' };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child) node.append(child);
    });
    return node;
  }
  /** The record's date, and an "inferred" marker with the editors' reason when they inferred it. */
  function when(record, field, locale, words) {
    if (!field || !record.date) return null;
    var day = new Intl.DateTimeFormat(DATE_LOCALES[locale], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: record.date.length === 10 ? 'UTC' : 'Europe/Rome',
    }).format(new Date(record.date.length === 10 ? record.date + 'T00:00:00Z' : record.date));
    var inference = (record.inferences || []).filter(function (i) {
      return i.field === field;
    })[0];
    return el('p', { class: 'when' }, [
      day,
      inference ? el('span', { class: 'inferred', title: words.inferredBy + ': ' + inference.basis }, [words.inferred]) : null,
    ]);
  }
  function clip(text, max) {
    return !text || text.length <= max ? text : text.slice(0, text.lastIndexOf(' ', max)).trim() + '…';
  }

  /** The widget's settings from the tag's data attributes, or the reason they cannot be used. */
  function settings(script) {
    var data = script.dataset;
    var type = data.type || 'good-practices';
    var locale = data.locale || 'it';
    var limit = data.limit === undefined ? 5 : Number(data.limit);
    if (!TYPES[type]) return { problem: 'data-type must be one of ' + Object.keys(TYPES).join(', ') + ' (got "' + type + '").' };
    if (!WORDS[locale]) return { problem: 'data-locale must be it or en (got "' + locale + '").' };
    if (!(limit >= 1 && limit <= MAX_LIMIT && Math.floor(limit) === limit))
      return { problem: 'data-limit must be a whole number from 1 to ' + MAX_LIMIT + ' (got "' + data.limit + '").' };
    return { type: type, locale: locale, limit: limit, theme: data.theme || '', territory: data.territory || '' };
  }

  function request(origin, s) {
    var config = TYPES[s.type];
    var filters = {};
    if (s.theme) filters.themes = { slug: { eq: s.theme } };
    if (s.territory) Object.assign(filters, config.territory(s.territory));
    var query =
      'query Widget($locale: I18NLocaleCode, $filters: ' +
      config.filters +
      ', $limit: Int) {' +
      ' records: ' +
      config.query +
      '(locale: $locale, filters: $filters, sort: "publishedAt:desc", pagination: { pageSize: $limit }) { slug title text: ' +
      config.text +
      (config.date ? ' date: ' + config.date + ' inferences { field basis }' : '') +
      ' } }';
    // Anonymous, without cookies: the public API answers any origin.
    return fetch(origin + '/graphql', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: query, variables: { locale: s.locale, filters: filters, limit: s.limit } }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return body.data.records;
      });
    });
  }

  function render(script) {
    script.setAttribute('data-kb-widget', 'rendered');
    var origin = new URL(script.src, location.href).origin;
    var host = el('div', { class: 'comin40-kb-widget' });
    script.parentNode.insertBefore(host, script);
    var root = host.attachShadow({ mode: 'open' });
    var s = settings(script);
    var words = WORDS[s.locale] || WORDS.en;
    var box = el('section', { class: 'kb' });
    root.append(el('style', {}, [STYLE]), box);
    if (s.problem) {
      box.append(el('p', { class: 'problem', role: 'alert' }, ['Com.In.4.0 widget: ' + s.problem]));
      return;
    }
    var explorer = function (hash) {
      return origin + '/?lang=' + s.locale + '#/' + hash;
    };
    var list = new URLSearchParams({ type: s.type });
    if (s.theme) list.set('theme', s.theme);
    if (s.territory) list.set('territory', s.territory);
    var heading = el('h2', { id: 'kb-heading' }, [words.heading[s.type]]);
    var status = el('p', { role: 'status' }, [words.loading]);
    box.setAttribute('aria-labelledby', 'kb-heading');
    box.append(heading, el('p', { class: 'from' }, [words.source]), status);
    request(origin, s).then(
      function (records) {
        if (!records.length) {
          status.textContent = words.empty;
        } else {
          status.remove();
          box.append(
            el(
              'ul',
              {},
              records.map(function (record) {
                return el('li', {}, [
                  el('a', { class: 'title', href: explorer(s.type + '/' + encodeURIComponent(record.slug)) }, [record.title]),
                  when(record, TYPES[s.type].date, s.locale, words),
                  record.text ? el('p', {}, [clip(record.text, 180)]) : null,
                ]);
              }),
            ),
          );
        }
        box.append(el('p', { class: 'more' }, [el('a', { href: explorer('?' + list.toString()) }, [words.more])]));
      },
      function (error) {
        status.textContent = words.failed;
        status.className = 'problem';
        // The reason is for the partner's developer, not for the page's readers.
        console.warn('Com.In.4.0 widget: ' + error.message);
      },
    );
  }

  // document.currentScript is this tag while it runs; a page that added tags some other way still gets them all.
  var scripts = document.currentScript
    ? [document.currentScript]
    : document.querySelectorAll('script[src*="widget.js"]:not([data-kb-widget])');
  Array.prototype.forEach.call(scripts, function (script) {
    if (!script.hasAttribute('data-kb-widget')) render(script);
  });
})();
