import { GoTemplate, goStruct, withSprig } from './go-template';

const render = (text: string, data: unknown = {}, sprig = false) => GoTemplate.parse(text, 't.html', sprig ? withSprig() : undefined).execute(data);
const parseError = (text: string, sprig = false) => {
  try {
    GoTemplate.parse(text, 'custom/index.html', sprig ? withSprig() : undefined);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('parsed');
};

const layer = goStruct({ name: 'main.LayerTable' }, { ID: 'public.roads', Description: 'Roads', Count: 3, Tags: ['a', 'b'] }, { GetName: 'roads' });

describe('GoTemplate: the language', () => {
  it('prints fields, nested fields, variables, dot and literals', () => {
    const data = { Layer: layer, N: 2.5 };
    expect(render('{{ .Layer.ID }}|{{ $.Layer.Description }}|{{ .N }}|{{ "lit" }}|{{ 42 }}|{{ true }}', data)).toBe('public.roads|Roads|2.5|lit|42|true');
    expect(render('{{ with .Layer }}{{ . | printf "%v" }}{{ end }}', data)).toBe('{public.roads Roads 3 [a b]}');
    expect(render('{{ $l := .Layer }}{{ $l.ID }} {{ $l.GetName }}', data)).toBe('public.roads roads');
    expect(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}')).toBe('2');
  });

  it('ranges over maps in sorted key order, over slices in order, and rebinds dot', () => {
    const m = new Map([['b', 'B'], ['a', 'A'], ['Z', 'z'], ['ä', 'AE']]);
    expect(render('{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}', m)).toBe('Z=z;a=A;b=B;ä=AE;');
    expect(render('{{ range . }}{{ . }}{{ end }}', m)).toBe('zABAE');
    expect(render('{{ range $i, $t := .Tags }}{{ $i }}{{ $t }}{{ end }}', layer)).toBe('0a1b');
    expect(render('{{ range $t := .Tags }}{{ $t }}{{ $.ID }} {{ end }}', layer)).toBe('apublic.roads bpublic.roads ');
    expect(render('{{ range .Missing }}x{{ else }}none{{ end }}', new Map())).toBe('none');
    expect(render('{{ range 3 }}{{ . }}{{ end }}')).toBe('012');
  });

  it('follows Go truth in if / else if / else and with / else', () => {
    const t = '{{ if .A }}a{{ else if .B }}b{{ else }}c{{ end }}';
    expect(render(t, { A: 'x', B: 1 })).toBe('a');
    expect(render(t, { A: '', B: 1 })).toBe('b');
    expect(render(t, { A: [], B: 0 })).toBe('c');
    expect(render('{{ if .M }}y{{ else }}n{{ end }}', { M: new Map() })).toBe('n');
    expect(render('{{ if .S }}y{{ end }}', { S: {} })).toBe('y');
    expect(render('{{ with .D }}[{{ . }}]{{ else }}empty{{ end }}', { D: '' })).toBe('empty');
  });

  it('has eq, ne, not, and, or, comparisons, len, index and print', () => {
    expect(render('{{ if eq .Type "table" }}T{{ end }}{{ if eq .Type "x" "table" }}T2{{ end }}{{ if ne .Type "table" }}N{{ end }}', { Type: 'table' })).toBe('TT2');
    expect(render('{{ not "" }} {{ and 1 "" 2 }} {{ and 1 2 }} {{ or "" 0 }} {{ or "" "y" }}')).toBe('true  2 0 y');
    expect(render('{{ lt 1 2 }} {{ ge "b" "a" }} {{ len .Tags }} {{ len "héllo" }} {{ index .Tags 1 }}', layer)).toBe('true true 2 6 b');
    expect(render('{{ index . "k" }}', new Map([['k', 'v']]))).toBe('v');
    expect(render('{{ print 1 2 "a" }} {{ printf "%s-%d-%q" "x" 3 "y" }}')).toBe('1 2a x-3-&#34;y&#34;');
    // `and` stops at the first false value: the missing field is never evaluated.
    expect(render('{{ if and .A .A.Nope }}y{{ else }}n{{ end }}', { A: '' })).toBe('n');
  });

  it('pipes the value as the last argument, with the sprig functions pg_tileserv gives index.html', () => {
    const data = { DetailURL: 'http://h/public.roads.json', D: '' };
    expect(render('{{ .DetailURL | replace ".json" ".html" }}', data, true)).toBe('http://h/public.roads.html');
    expect(render(`{{ .D | default "none" }} {{ "ab" | upper }} {{ "x y-z don't" | title }} {{ trimSuffix ".json" .DetailURL }}`, data, true)).toBe("none AB X Y-Z Don&#39;T http://h/public.roads");
    expect(render('{{ (printf "%s!" "hi") | lower }} {{ (index .L 0).Name }}', { L: [{ Name: 'n' }] }, true)).toBe('hi! n');
  });

  it('trims white space at {{- and -}}, and drops comments', () => {
    expect(render('a  \n {{- "b" -}} \n  c')).toBe('abc');
    expect(render('a {{/* a comment with }} inside */}} b {{- /* trimmed */ -}} c')).toBe('a  bc');
    expect(render('{{ "}}" }}')).toBe('}}');
  });

  it('prints nil as nothing, as html/template does', () => {
    expect(render('[{{ .Missing }}][{{ print nil }}]', new Map())).toBe('[][&lt;nil&gt;]');
  });
});

describe('GoTemplate: errors name the file and line', () => {
  it.each([
    ['x\n{{ .A | nosuch }}', /^template custom\/index\.html:2: function "nosuch" not defined/],
    ['{{ html .A }}', /custom\/index\.html:1: function "html" is not supported by tilegate/],
    ['{{ if .A }}x', /:1: unexpected EOF: \{\{if\}\} has no \{\{end\}\}/],
    ['x\n\n{{ end }}', /:3: unexpected \{\{end\}\}/],
    ['{{ else }}', /unexpected \{\{else\}\}/],
    ['{{ range . }}{{ else if .A }}{{ end }}', /unexpected \{\{ else if \.A \}\} in \{\{range\}\}/],
    ['{{ template "x" }}', /\{\{template\}\} is not supported/],
    ['{{ define "x" }}{{ end }}', /\{\{define\}\} is not supported/],
    ['{{ $x }}', /undefined variable "\$x"/],
    ['{{ if $v := .A }}{{ end }}{{ $v }}', /undefined variable "\$v"/],
    ['{{ .A', /unclosed action/],
    ['{{ "abc }}', /unterminated quoted string/],
    ['{{ /* x */ }}', /unexpected "\/" in action/],
    ['{{/* x */ y }}', /comment ends before closing delimiter/],
    ['{{ eq .A }}', /wrong number of args for eq: want at least 2 got 1/],
    ['{{ .A | not "x" }}', /wrong number of args for not: want 1 got 2/],
    ['{{ .A .B }}', /can't give argument to non-function/],
    ['{{ "a" | .B }}', /cannot pipe into a non-function/],
    ['{{ nil }}', /nil is not a command/],
    ['{{ }}', /missing value for command/],
    ['{{ (1 }}', /unclosed left paren/],
  ])('%j', (text, message) => {
    expect(parseError(text)).toMatch(message);
  });

  it('knows the sprig functions only where they were given', () => {
    expect(parseError('{{ "a" | replace "a" "b" }}')).toMatch(/function "replace" not defined/);
    expect(() => GoTemplate.parse('{{ "a" | replace "a" "b" }}', 'index.html', withSprig())).not.toThrow();
  });

  it('reports execution errors with the line of the action', () => {
    const t = GoTemplate.parse('line one\n{{ .Nope }}', 'preview-table.html');
    expect(() => t.execute(layer)).toThrow(/^template preview-table\.html:2: executing: can't evaluate field Nope in type main\.LayerTable$/);
    expect(() => GoTemplate.parse('{{ if eq .A 1 }}{{ end }}', 't').execute({ A: 'x' })).toThrow(/error calling eq: incompatible types for comparison/);
    expect(() => GoTemplate.parse('{{ range .A }}{{ end }}', 't').execute({ A: 'str' })).toThrow(/range can't iterate over string/);
  });
});
