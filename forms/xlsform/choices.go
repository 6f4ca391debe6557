package xlsform

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/unodc-csu/agora/forms"
)

// choiceColumns are the columns of the choices sheet Agora reads; other and
// missing are Agora's own (docs/xlsform.md).
var choiceColumns = map[string]bool{
	"list_name": true, "name": true, "label": true, "other": true, "missing": true, "media": true,
}

// choice is one row of the choices sheet.
type choice struct {
	r       row
	name    string
	label   forms.Text
	other   bool
	missing bool
}

// choiceList is the choices of one list_name.
type choiceList struct {
	name    string
	choices []choice
	// codes maps choice names to option codes, once computed.
	codes map[string]string
	// reported is set once choices shown by their names were reported.
	reported bool
}

// readChoices reads the choices sheet into lists.
func (b *builder) readChoices() {
	s := b.wb.choices
	if s == nil {
		return
	}
	b.checkColumns(s, choiceColumns)
	listCol := s.col("list_name")
	if listCol == nil && len(s.rows) > 0 {
		b.rep.refuse(at{sheet: s.name, row: s.headerRow}, "the choices sheet has no list_name column")
		return
	}
	for _, r := range s.rows {
		list := r.cell(listCol)
		if list == "" {
			b.rep.skip(s.rowAt(r), "the choice has no list_name, so it belongs to no question; ignored")
			continue
		}
		c := choice{r: r, name: s.get(r, "name"), label: b.text(s, r, "label")}
		if c.name == "" {
			b.rep.refuse(s.at(r, "name"), "the choice has no name")
			continue
		}
		c.other = b.flag(s, r, "other")
		c.missing = b.flag(s, r, "missing")
		for _, col := range s.cols {
			if col.base == "media" && r.cell(col) != "" {
				b.rep.skip(s.cellAt(r, col), "media (image, audio, video) are not supported; ignored")
			}
		}
		l := b.lists[list]
		if l == nil {
			l = &choiceList{name: list}
			b.lists[list] = l
		}
		l.choices = append(l.choices, c)
	}
}

// flag reads a yes/no column of the choices sheet.
func (b *builder) flag(s *sheet, r row, col string) bool {
	v := s.get(r, col)
	yes, ok := parseBool(v)
	if !ok {
		b.rep.refuse(s.at(r, col), "%q is not yes or no", v)
	}
	return yes
}

// list finds a choice list by name, in any case if need be.
func (b *builder) list(name string) *choiceList {
	if l := b.lists[name]; l != nil {
		return l
	}
	for n, l := range b.lists {
		if strings.EqualFold(n, name) {
			return l
		}
	}
	return nil
}

// integerNames reports whether every choice of l is named by a whole
// number, as the points of a scale are.
func (l *choiceList) integerNames() bool {
	for _, c := range l.choices {
		if _, err := strconv.Atoi(c.name); err != nil {
			return false
		}
	}
	return len(l.choices) > 0
}

// choicesFor gives a select or rank question its options, or makes it a
// scale: select_one with appearance likert and whole-number choice names.
// It returns the appearance words left. A choice filter keeps the columns
// it names on each option, as its attributes.
func (b *builder) choicesFor(q *forms.Question, n *node, app []string, sym *symbol, ref qref) []string {
	s := b.wb.survey
	l := b.list(n.t.list)
	if l == nil {
		b.rep.refuse(s.at(n.r, "type"), "choice list %q is not in the choices sheet", n.t.list)
		return app
	}
	filter := s.get(n.r, "choice_filter")
	if n.t.name == "select_one" && indexFold(app, "likert") >= 0 && l.integerNames() && !n.t.orOther && filter == "" {
		q.Type = forms.TypeScale
		q.Scale = b.scalePoints(l, sym)
		b.locateChoices(l, "scale", ref)
		return app
	}
	columns := b.filterColumnsOf(filter)
	q.Options = b.options(l, sym, columns, ref)
	if n.t.orOther {
		b.orOther(q, n)
	}
	if filter != "" {
		b.pending = append(b.pending, pendingExpr{mode: modeFilter, columns: columns, local: n.iter.names(),
			parts: []exprPart{{src: filter, where: s.at(n.r, "choice_filter")}},
			set:   func(e string) { b.setFilter(ref, e) }})
	}
	return app
}

// setFilter sets a question's choice filter, or none when it always holds.
func (b *builder) setFilter(ref qref, e string) {
	if e != "true" {
		b.question(ref).ChoiceFilter = e
	}
}

// filterColumnsOf maps the names a choice filter uses (lower case) to the
// attribute that holds each column's value ("" for name, the option's
// code); names that are no column are left out.
func (b *builder) filterColumnsOf(filter string) map[string]string {
	if filter == "" {
		return nil
	}
	cols := map[string]string{}
	for _, name := range filterNames(filter) {
		if c := b.choiceColumn(name); c != nil {
			key := ""
			if c.base != "name" {
				key = attributeKey(c)
			}
			cols[strings.ToLower(name)] = key
		}
	}
	return cols
}

// choiceColumn finds the column of the choices sheet a filter names: by
// its header as written or by its name, in any case.
func (b *builder) choiceColumn(name string) *column {
	s := b.wb.choices
	if s == nil {
		return nil
	}
	for _, c := range s.cols {
		if strings.EqualFold(c.header, name) || c.sub == "" && c.lang == "" && strings.EqualFold(c.base, name) {
			return c
		}
	}
	return nil
}

// attributeKey names the attribute that holds a choices column: the
// header as written, made a code ("label::English" is label__English).
func attributeKey(c *column) string { return toCode(c.header, "a") }

// filterNames lists the bare names of a choice filter: the columns it
// tests. A filter that does not parse names none (it is refused later).
func filterNames(src string) []string {
	src, _ = plainQuotes(src)
	n, err := parseXPath(src, true)
	if err != nil {
		return nil
	}
	var names []string
	var walk func(*xnode)
	walk = func(x *xnode) {
		if x.kind == xName {
			names = append(names, x.text)
		}
		for _, a := range x.args {
			walk(a)
		}
	}
	walk(n)
	return names
}

// locateChoices remembers which choices rows the options or scale points
// of the question at ref come from.
func (b *builder) locateChoices(l *choiceList, field string, ref qref) {
	for i, c := range l.choices {
		b.loc[fmt.Sprintf("%s/%s/%d", ref.pointer(), field, i)] = source{b.wb.choices, c.r}
	}
}

// options makes the options of a list for one question: choice names are
// kept as written unless they are unsafe as codes, a choice without a
// label shows its name, and a name given twice is kept once — or, when
// the question filters its choices, once per filter value.
func (b *builder) options(l *choiceList, sym *symbol, columns map[string]string, ref qref) []forms.Option {
	s := b.wb.choices
	b.listCodes(l)
	sym.codes = l.codes
	opts := make([]forms.Option, 0, len(l.choices))
	var seen []forms.Option
	for _, c := range l.choices {
		if c.missing {
			b.rep.skip(s.at(c.r, "missing"), "missing applies to the points of a scale only; ignored")
		}
		o := forms.Option{Code: l.codes[c.name], Label: b.choiceLabel(l, c), Other: c.other, Attributes: b.attributes(c, columns)}
		if dup := slices.IndexFunc(seen, func(p forms.Option) bool {
			return p.Code == o.Code && (columns == nil || maps.Equal(p.Attributes, o.Attributes))
		}); dup >= 0 {
			b.rep.skip(s.rowAt(c.r), "choice %q is already in list %q%s; this row is left out", c.name, l.name, filterNote(columns))
			continue
		}
		seen = append(seen, o)
		b.loc[fmt.Sprintf("%s/options/%d", ref.pointer(), len(opts))] = source{s, c.r}
		opts = append(opts, o)
	}
	return opts
}

func filterNote(columns map[string]string) string {
	if columns == nil {
		return ""
	}
	return " with the same values of the filter's columns"
}

// attributes are the values of a choice in the columns a filter tests.
func (b *builder) attributes(c choice, columns map[string]string) map[string]string {
	var out map[string]string
	for name, key := range columns {
		if key == "" {
			continue
		}
		if v := c.r.cell(b.choiceColumn(name)); v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[key] = v
		}
	}
	return out
}

// listCodes maps the choice names of a list to option codes, once: names
// are kept as written ("1", "99", "n1-c") unless unsafe.
func (b *builder) listCodes(l *choiceList) {
	if l.codes != nil {
		return
	}
	l.codes = map[string]string{}
	var changed []string
	for _, c := range l.choices {
		code := toOptionCode(c.name)
		l.codes[c.name] = code
		if code != c.name && len(changed) < 3 {
			changed = append(changed, fmt.Sprintf("%q as %q", c.name, code))
		}
	}
	if len(changed) > 0 {
		b.rep.convert(at{sheet: b.wb.choices.name, row: l.choices[0].r.num}, "choice names of list %q that cannot be codes are stored converted (%s...): a code holds letters, digits, '_', '-' and '.'; labels are unchanged",
			l.name, strings.Join(changed, ", "))
	}
}

// choiceLabel is a choice's label, or its name when it has none (a choice
// shown by an image only, say).
func (b *builder) choiceLabel(l *choiceList, c choice) forms.Text {
	if strings.TrimSpace(c.label[b.lang]) != "" {
		return c.label
	}
	label := forms.Text{}
	for k, v := range c.label {
		label[k] = v
	}
	label[b.lang] = c.name
	if !l.reported {
		l.reported = true
		b.rep.convert(b.wb.choices.rowAt(c.r), "choices of list %q without a label in %s show their name instead", l.name, languageHeader(b.lang))
	}
	return label
}

// scalePoints makes scale points of a list whose names are whole numbers.
func (b *builder) scalePoints(l *choiceList, sym *symbol) []forms.ScalePoint {
	s := b.wb.choices
	sym.codes = map[string]string{}
	points := make([]forms.ScalePoint, 0, len(l.choices))
	for _, c := range l.choices {
		v, _ := strconv.Atoi(c.name)
		sym.codes[c.name] = strconv.Itoa(v)
		if c.other {
			b.rep.skip(s.at(c.r, "other"), "other applies to the options of a choice question only; ignored")
		}
		points = append(points, forms.ScalePoint{Value: v, Label: b.choiceLabel(l, c), Missing: c.missing})
	}
	return points
}

// otherLabels label the option that or_other adds.
var otherLabels = forms.Text{
	"en": "Other (please specify)", "fr": "Autre (veuillez préciser)", "es": "Otro (especifique)",
	"ru": "Другое (уточните)", "zh": "其他（请注明）", "ar": "أخرى (يرجى التحديد)",
}

// orOther adds the "other, please specify" option of "select_one list
// or_other", or flags the list's own "other" choice as such.
func (b *builder) orOther(q *forms.Question, n *node) {
	s := b.wb.survey
	if i := slices.IndexFunc(q.Options, func(o forms.Option) bool { return o.Code == "other" }); i >= 0 {
		q.Options[i].Other = true
		b.rep.convert(s.at(n.r, "type"), "or_other: the list's own choice \"other\" asks the respondent to specify")
		return
	}
	label := forms.Text{}
	for _, l := range b.langs {
		label[l] = otherLabels[l]
	}
	q.Options = append(q.Options, forms.Option{Code: "other", Label: label, Other: true})
	b.rep.convert(s.at(n.r, "type"), "or_other adds the option \"other\" (%q), whose text the respondent specifies", otherLabels[b.lang])
}

// rangeScale makes a scale of a range question: its points are the whole
// numbers from start to end by step, labelled with themselves.
func (b *builder) rangeScale(q *forms.Question, r row) {
	s := b.wb.survey
	p := map[string]float64{"start": 1, "end": 10, "step": 1}
	for _, kv := range strings.FieldsFunc(s.get(r, "parameters"), func(c rune) bool { return c == ' ' || c == ';' || c == ',' }) {
		k, v, _ := strings.Cut(kv, "=")
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		k = strings.ToLower(strings.TrimSpace(k))
		if _, known := p[k]; !known || err != nil {
			b.rep.refuse(s.at(r, "parameters"), "%q is not a range parameter (start=, end=, step= with numbers)", kv)
			return
		}
		p[k] = x
	}
	start, end, step := p["start"], p["end"], p["step"]
	n := (end - start) / step
	bounded := math.Abs(start) <= 1e6 && math.Abs(end) <= 1e6 && math.Abs(step) <= 1e6 // false for NaN too
	if !bounded || step == 0 || !(n >= 0 && n <= 100) || start != math.Trunc(start) || step != math.Trunc(step) {
		b.rep.refuse(s.at(r, "parameters"), "a range becomes a scale of at most 101 whole-number points: start, end and step must be whole numbers, step not 0 and towards end")
		return
	}
	for v := int(start); len(q.Scale) <= int(n); v += int(step) {
		q.Scale = append(q.Scale, forms.ScalePoint{Value: v, Label: forms.Text{b.lang: strconv.Itoa(v)}})
	}
	b.rep.convert(s.at(r, "type"), "range becomes a scale of the whole numbers %d to %d, labelled with the numbers", int(start), q.Scale[len(q.Scale)-1].Value)
}
