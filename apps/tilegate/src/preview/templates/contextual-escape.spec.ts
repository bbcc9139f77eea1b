import { runInNewContext } from 'node:vm';
import { GoTemplate } from './go-template';

const SCRIPT_BREAK = '</script><script>alert(1)</script>';
const ATTR_BREAK = '" onmouseover="x';
const SINGLE_ATTR_BREAK = "' onmouseover='x";
const JS_URL = 'javascript:alert(1)';
const HOSTILE = [SCRIPT_BREAK, ATTR_BREAK, SINGLE_ATTR_BREAK, JS_URL, '";alert(1);//', "';alert(1);//", '\\"; x\u2028y <!-- -->', '`${x}`'];

const render = (text: string, data: unknown) => GoTemplate.parse(text, 'custom.html').execute(data);
const refusal = (text: string) => {
  try {
    GoTemplate.parse(text, 'custom.html');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
};
/** Runs the page's only script and returns what it left in `v`. */
const scriptResult = (html: string) => {
  const body = /<script>([\s\S]*)<\/script>/.exec(html)![1];
  expect(body).not.toMatch(/<\/script/i);
  return runInNewContext(`${body}; v`);
};

describe('contextual escaping: hostile layer names and descriptions', () => {
  it('HTML text and RCDATA: tags become text', () => {
    expect(render('<p>{{ . }}</p>', SCRIPT_BREAK)).toBe('<p>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(render('<title>x: {{ . }}</title>', '</title><script>')).toBe('<title>x: &lt;/title&gt;&lt;script&gt;</title>');
    expect(render('<textarea>{{ . }}</textarea>', '</textarea>&')).toBe('<textarea>&lt;/textarea&gt;&amp;</textarea>');
  });

  it('attribute values: the value cannot close its quotes or add attributes', () => {
    expect(render('<span title="{{ . }}">', ATTR_BREAK)).toBe('<span title="&#34; onmouseover=&#34;x">');
    expect(render("<span title='{{ . }}'>", SINGLE_ATTR_BREAK)).toBe("<span title='&#39; onmouseover=&#39;x'>");
    expect(render('<span title={{ . }}>', 'x onmouseover=y>')).toBe('<span title=x&#32;onmouseover&#61;y&gt;>');
    expect(render('<span title={{ . }} class=a>', '')).toBe('<span title=ZgotmplZ class=a>');
  });

  it('URL attributes: javascript: and other schemes become #ZgotmplZ, the rest is percent-encoded', () => {
    for (const url of [JS_URL, ' JavaScript:alert(1)', 'data:text/html,<script>', 'vbscript:x']) {
      expect(render("<a href='{{ . }}'>", url)).toBe("<a href='#ZgotmplZ'>");
      expect(render('<img src="{{ . }}">', url)).toBe('<img src="#ZgotmplZ">');
    }
    expect(render('<a href={{ . }}>', JS_URL)).toBe('<a href=#ZgotmplZ>');
    expect(render('<a href="{{ . }}">', 'http://h/public.a b.json?x="><script>')).toBe('<a href="http://h/public.a%20b.json?x=%22%3e%3cscript%3e">');
    expect(render('<a href="{{ . }}">', 'https://h/%41é')).toBe('<a href="https://h/%41%c3%a9">');
    expect(render('<a href="/layers/{{ . }}.html">', JS_URL)).toBe('<a href="/layers/javascript:alert%281%29.html">');
    expect(render('<a href="/search?q={{ . }}">', 'a&b=c d/')).toBe('<a href="/search?q=a%26b%3dc%20d%2f">');
    expect(render('<a data-url="{{ . }}" class="{{ . }}">', JS_URL)).toBe('<a data-url="#ZgotmplZ" class="javascript:alert(1)">');
  });

  it.each(HOSTILE)('<script> strings keep %j a string', (value) => {
    expect(scriptResult(render('<script>var v = "{{ . }}.json";</script>', value))).toBe(`${value}.json`);
    expect(scriptResult(render("<script>var v = '{{ . }}';</script>", value))).toBe(value);
  });

  it.each(HOSTILE)('<script> expressions get %j as a JSON value', (value) => {
    const html = render('<script>var v = {{ . }};</script>', value);
    expect(scriptResult(html)).toBe(value);
    expect(html).toContain(JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/\u2028/g, '\\u2028'));
  });

  it('<script> expressions print maps, slices and numbers as JS values', () => {
    const data = { M: new Map<string, unknown>([['b', 2], ['a', SCRIPT_BREAK]]), N: 3, L: ['x'], Nil: null };
    const html = render('<script>var v = [{{ .M }}, {{ .N }}/1, {{ .L }}, {{ .Nil }}];</script>', data);
    expect(html).toContain('var v = [{"a":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e","b":2},  3 /1, ["x"],  null ];');
    expect(scriptResult(html)).toEqual([{ a: SCRIPT_BREAK, b: 2 }, 3, ['x'], null]);
  });

  it('prints nothing into comments, and drops comments as html/template does', () => {
    expect(render('a<!-- {{ . }} -->b', SCRIPT_BREAK)).toBe('ab');
    expect(render('<script>x = 1; // {{ . }}\n/* a\nb */y = 2; /* c */z</script>', SCRIPT_BREAK)).toBe('<script>x = 1; \n\ny = 2;  z</script>');
    expect(render('<style>a { /* c */ color: red } // x\n</style>', '')).toBe('<style>a {   color: red } \n</style>');
    expect(render('<script>a = 1;\n  --> old\nb = 2; <!-- old\n</script>', '')).toBe('<script>a = 1;\n  \nb = 2; \n</script>');
  });

  it('reads a <script> of a non-JS type as HTML, and keeps regexps and divisions apart', () => {
    expect(render('<script type="text/x-template"><b>{{ . }}</b></script>', SCRIPT_BREAK)).toBe('<script type="text/x-template"><b>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</b></script>');
    const js = '<script>var a = "x".replace(/["\']/g, "") / 2; var b = (1) / 2; var v = "{{ . }}";</script>';
    expect(scriptResult(render(js, ATTR_BREAK))).toBe(ATTR_BREAK);
  });

  it('rewrites a stray < in text as html/template does, and keeps a doctype', () => {
    expect(render('<!DOCTYPE html>a < b <3', '')).toBe('<!DOCTYPE html>a &lt; b &lt;3');
  });
});

describe('contextual escaping: contexts without an escaper are refused at parse time', () => {
  it.each([
    ['<style>h1 { color: {{ .C }} }</style>', 'inside a <style> element'],
    ['<a onclick="go({{ .ID }})">', 'in an event-handler attribute'],
    ['<a onmouseover={{ .ID }}>', 'in an event-handler attribute'],
    ['<div style="color: {{ .C }}">', 'in a style attribute'],
    ['<img srcset="{{ .U }} 2x">', 'in a srcset attribute'],
    ['<a {{ .Attr }}>', 'inside a tag, where an attribute name'],
    ['<script type="{{ .T }}"></script>', "in a <script>'s type attribute"],
    ['<script>var s = `{{ .ID }}`;</script>', 'inside a JS template literal'],
    ['<script>var r = /{{ .ID }}/;</script>', 'inside a JS regular expression'],
    ['<a href="{{ if .A }}x?{{ end }}{{ .B }}">', 'in a URL where branches leave it unclear whether this is its path or its query'],
  ])('%s', (text, why) => {
    expect(refusal(`<p>\n${text}`)).toMatch(new RegExp(`^template custom\\.html:2: \\{\\{ \\.\\w+ \\}\\} is ${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*: tilegate escapes values in HTML text, attribute values, URL attributes and <script> strings and expressions only`));
  });

  it.each([
    ['{{ if .A }}<a href="{{ end }}x">', /\{\{if\}\} branches end in different contexts: attr \(url attribute\) and text/],
    ['{{ range . }}<a title="{{ end }}', /\{\{range\}\} body ends in a different context/],
    ['<script>{{ if .A }}"{{ end }}</script>', /branches end in different contexts/],
    ['<script>{{ if .A }}a{{ else }}({{ end }} /x/ </script>', /'\/' could start a division or a regexp/],
    ['<script>var a = 1', /ends in a non-text context: js in <script>/],
    ['<a href="x', /ends in a non-text context/],
    ['<a "b"=1>', /"\\"" in attribute name/],
  ])('refuses %j', (text, message) => {
    expect(refusal(text)).toMatch(message);
  });
});
