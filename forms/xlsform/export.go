package xlsform

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/forms"
)

// ContentType is the media type of the workbooks Export writes.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// xrow is one row of an exported sheet: header → value.
type xrow map[string]string

// exporter collects the rows of the three sheets.
type exporter struct {
	def     *forms.Definition
	langs   []string
	survey  []xrow
	choices []xrow
	attrs   []string // the attributes of options, as choices columns
	ve      *forms.ValidationError
}

// Export writes def as an XLSForm workbook with a column per language for
// every text ("label::Français (fr)"). Import reads the workbook back into
// the same definition, up to the normalizations docs/xlsform.md lists. An
// expression that has no XLSForm form (docs/xlsform.md lists what does) is
// reported in a *forms.ValidationError located by JSON pointer, and
// nothing is written.
func Export(def *forms.Definition, w io.Writer) error {
	x := &exporter{def: def, ve: &forms.ValidationError{Message: "the questionnaire cannot be written as XLSForm"}}
	x.langs = exportLanguages(def)
	for si := range def.Sections {
		x.section(si)
	}
	if err := x.ve.OrNil(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetSurvey); err != nil {
		return err
	}
	sheets := []struct {
		name    string
		headers []string
		rows    []xrow
	}{
		{sheetSurvey, x.surveyHeaders(), x.survey},
		{sheetChoices, x.choiceHeaders(), x.choices},
		{sheetSettings, x.settingsHeaders(), []xrow{x.settings()}},
	}
	for i, s := range sheets {
		if i > 0 {
			if _, err := f.NewSheet(s.name); err != nil {
				return err
			}
		}
		if err := writeSheet(f, s.name, s.headers, s.rows); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// exportLanguages lists the definition's languages, default first if it
// is missing from the list.
func exportLanguages(def *forms.Definition) []string {
	langs := slices.Clone(def.Languages)
	if def.DefaultLanguage != "" && !slices.Contains(langs, def.DefaultLanguage) {
		langs = append([]string{def.DefaultLanguage}, langs...)
	}
	return langs
}

// writeSheet writes the header and the rows of one sheet, with the header
// row frozen and bold so that the workbook is pleasant to edit.
func writeSheet(f *excelize.File, name string, headers []string, rows []xrow) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head := make([]any, len(headers))
	for i, h := range headers {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for ri, r := range rows {
		vals := make([]any, len(headers))
		for i, h := range headers {
			vals[i] = r[h]
		}
		cell, _ := excelize.CoordinatesToCellName(1, ri+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// texts puts a translated text into row r under base::Language (code).
func (x *exporter) texts(r xrow, base string, t forms.Text) {
	for _, l := range x.langs {
		if v := t[l]; v != "" {
			r[base+"::"+languageHeader(l)] = v
		}
	}
}

// section writes one section as a group, with the appearance it had
// ("field-list" where the form had it).
func (x *exporter) section(si int) {
	s := &x.def.Sections[si]
	path := fmt.Sprintf("/sections/%d", si)
	r := xrow{"type": "begin group", "name": s.Code, "appearance": s.Appearance}
	x.texts(r, "label", s.Title)
	x.texts(r, "hint", s.Description)
	r["relevant"] = x.expr(path+"/relevant", s.Relevant)
	x.survey = append(x.survey, r)
	x.questions(path, s.Questions)
	x.survey = append(x.survey, xrow{"type": "end group"})
}

// questions writes a list of questions, path the JSON pointer of the list's
// owner.
func (x *exporter) questions(path string, qs []forms.Question) {
	for qi := range qs {
		x.question(fmt.Sprintf("%s/questions/%d", path, qi), &qs[qi])
	}
}

// repeat writes a repeat as begin repeat … end repeat.
func (x *exporter) repeat(path string, q *forms.Question) {
	r := x.questionRow(path, q)
	r["type"] = "begin repeat"
	r["appearance"] = q.Appearance
	r["repeat_count"] = x.exprAs(path+"/repeat_count", q.RepeatCount, modeValue)
	x.survey = append(x.survey, r)
	x.questions(path, q.Questions)
	x.survey = append(x.survey, xrow{"type": "end repeat"})
}

// calculate writes a calculate row.
func (x *exporter) calculate(path string, q *forms.Question) {
	r := x.questionRow(path, q)
	r["type"] = "calculate"
	r["calculation"] = x.exprAs(path+"/calculation", q.Calculation, modeValue)
	x.survey = append(x.survey, r)
}

// exportTypes maps Agora's types to XLSForm's; select types take the
// question's own list, named after it.
var exportTypes = map[string]string{
	forms.TypeSingleChoice: "select_one", forms.TypeMultipleChoice: "select_multiple",
	forms.TypeRanking: "rank", forms.TypeScale: "select_one", forms.TypeText: "text",
	forms.TypeLongText: "text", forms.TypeNumber: "decimal", forms.TypeInteger: "integer",
	forms.TypeDate: "date", forms.TypeNote: "note",
}

// question writes one question row (a group of rows for a matrix) and its
// choices.
func (x *exporter) question(path string, q *forms.Question) {
	switch q.Type {
	case forms.TypeMatrix:
		x.matrix(path, q)
		return
	case forms.TypeRepeat:
		x.repeat(path, q)
		return
	case forms.TypeCalculate:
		x.calculate(path, q)
		return
	}
	r := x.questionRow(path, q)
	r["type"] = exportTypes[q.Type]
	if r["type"] == "" {
		x.ve.Add(path+"/type", "type %q has no XLSForm equivalent", q.Type)
	}
	app := strings.Fields(q.Appearance)
	switch q.Type {
	case forms.TypeSingleChoice, forms.TypeMultipleChoice, forms.TypeRanking:
		r["type"] += " " + q.Code
		r["choice_filter"] = x.exprAs(path+"/choice_filter", q.ChoiceFilter, modeFilter)
		x.options(path, q)
	case forms.TypeScale:
		r["type"] += " " + q.Code
		if indexFold(app, "likert") < 0 {
			app = append([]string{"likert"}, app...)
		}
		x.scale(q.Code, q.Scale)
	case forms.TypeLongText:
		if indexFold(app, "multiline") < 0 {
			app = append([]string{"multiline"}, app...)
		}
	}
	r["appearance"] = strings.Join(app, " ")
	x.survey = append(x.survey, r)
}

// questionRow fills the columns every question row has.
func (x *exporter) questionRow(path string, q *forms.Question) xrow {
	r := xrow{"name": q.Code, "themes": strings.Join(q.Themes, " ")}
	x.texts(r, "label", q.Label)
	x.texts(r, "hint", q.Hint)
	x.texts(r, "required_message", q.RequiredMessage)
	x.texts(r, "constraint_message", q.ConstraintMessage)
	if q.Required {
		r["required"] = "yes"
	}
	r["relevant"] = x.expr(path+"/relevant", q.Relevant)
	r["constraint"] = x.expr(path+"/constraint", q.Constraint)
	if q.Min != nil {
		r["min"] = strconv.FormatFloat(*q.Min, 'f', -1, 64)
	}
	if q.Max != nil {
		r["max"] = strconv.FormatFloat(*q.Max, 'f', -1, 64)
	}
	if q.MaxLength > 0 {
		r["max_length"] = strconv.Itoa(q.MaxLength)
	}
	return r
}

// matrix writes a matrix question as a table-list group of select_one
// rows sharing the scale's list.
func (x *exporter) matrix(path string, q *forms.Question) {
	g := xrow{"type": "begin group", "name": q.Code, "themes": strings.Join(q.Themes, " ")}
	x.texts(g, "label", q.Label)
	x.texts(g, "hint", q.Hint)
	x.texts(g, "constraint_message", q.ConstraintMessage)
	g["relevant"] = x.expr(path+"/relevant", q.Relevant)
	g["constraint"] = x.expr(path+"/constraint", q.Constraint)
	g["appearance"] = strings.TrimSpace("table-list " + q.Appearance)
	x.survey = append(x.survey, g)
	for _, row := range q.Rows {
		r := xrow{"type": "select_one " + q.Code, "name": row.Code, "themes": strings.Join(row.Themes, " ")}
		x.texts(r, "label", row.Label)
		x.texts(r, "required_message", q.RequiredMessage)
		if q.Required {
			r["required"] = "yes"
		}
		x.survey = append(x.survey, r)
	}
	x.survey = append(x.survey, xrow{"type": "end group"})
	x.scale(q.Code, q.Scale)
}

// choiceColumnNames are the columns of the choices sheet an attribute
// cannot be written under.
var choiceColumnNames = map[string]bool{
	"list_name": true, "name": true, "label": true, "other": true, "missing": true,
	"media": true, "image": true, "audio": true, "video": true,
}

// options writes the options of a question as its choice list, with a
// column per attribute that a choice filter tests.
func (x *exporter) options(path string, q *forms.Question) {
	for i, o := range q.Options {
		r := xrow{"list_name": q.Code, "name": o.Code}
		x.texts(r, "label", o.Label)
		if o.Other {
			r["other"] = "yes"
		}
		for k, v := range o.Attributes {
			if choiceColumnNames[strings.ToLower(k)] || strings.Contains(k, "::") {
				x.ve.Add(fmt.Sprintf("%s/options/%d/attributes/%s", path, i, k), "attribute %q cannot be a column of the choices sheet", k)
				continue
			}
			r[k] = v
			if !slices.Contains(x.attrs, k) {
				x.attrs = append(x.attrs, k)
			}
		}
		x.choices = append(x.choices, r)
	}
}

// scale writes the points of a scale as a choice list named list.
func (x *exporter) scale(list string, points []forms.ScalePoint) {
	for _, p := range points {
		r := xrow{"list_name": list, "name": strconv.Itoa(p.Value)}
		x.texts(r, "label", p.Label)
		if p.Missing {
			r["missing"] = "yes"
		}
		x.choices = append(x.choices, r)
	}
}

// settings writes the settings row: the default language's title is plain
// form_title, as ODK expects; the other languages have their own columns.
func (x *exporter) settings() xrow {
	d := x.def
	r := xrow{"form_id": d.Code, "form_title": d.Title[d.DefaultLanguage], "kind": d.Kind,
		"default_language": languageHeader(d.DefaultLanguage), "description": d.Description[d.DefaultLanguage]}
	if d.Version > 0 {
		r["version"] = strconv.Itoa(d.Version)
	}
	for _, l := range x.langs {
		if l == d.DefaultLanguage {
			continue
		}
		if v := d.Title[l]; v != "" {
			r["form_title::"+languageHeader(l)] = v
		}
		if v := d.Description[l]; v != "" {
			r["description::"+languageHeader(l)] = v
		}
	}
	return r
}

// textHeaders lists base::Language (code) for every language.
func (x *exporter) textHeaders(base string) []string {
	out := make([]string, len(x.langs))
	for i, l := range x.langs {
		out[i] = base + "::" + languageHeader(l)
	}
	return out
}

// used keeps the headers that some row fills, and those in always.
func used(headers []string, rows []xrow, always ...string) []string {
	var out []string
	for _, h := range headers {
		keep := slices.Contains(always, h)
		for i := 0; !keep && i < len(rows); i++ {
			keep = rows[i][h] != ""
		}
		if keep {
			out = append(out, h)
		}
	}
	return out
}

func (x *exporter) surveyHeaders() []string {
	h := []string{"type", "name"}
	h = append(h, x.textHeaders("label")...)
	h = append(h, x.textHeaders("hint")...)
	h = append(h, "required")
	h = append(h, x.textHeaders("required_message")...)
	h = append(h, "relevant", "constraint")
	h = append(h, x.textHeaders("constraint_message")...)
	h = append(h, "appearance", "choice_filter", "calculation", "repeat_count", "themes", "min", "max", "max_length")
	return used(h, x.survey, "type", "name", "label::"+languageHeader(x.def.DefaultLanguage))
}

func (x *exporter) choiceHeaders() []string {
	h := append([]string{"list_name", "name"}, x.textHeaders("label")...)
	h = append(h, "other", "missing")
	attrs := slices.Clone(x.attrs)
	slices.Sort(attrs)
	h = append(h, attrs...)
	return used(h, x.choices, append(attrs, "list_name", "name", "label::"+languageHeader(x.def.DefaultLanguage))...)
}

func (x *exporter) settingsHeaders() []string {
	var titles, descriptions []string
	for _, l := range x.langs {
		if l != x.def.DefaultLanguage {
			titles = append(titles, "form_title::"+languageHeader(l))
			descriptions = append(descriptions, "description::"+languageHeader(l))
		}
	}
	h := append([]string{"form_id", "form_title"}, titles...)
	h = append(h, "version", "default_language", "kind", "description")
	h = append(h, descriptions...)
	return used(h, []xrow{x.settings()}, "form_id", "form_title", "default_language")
}
